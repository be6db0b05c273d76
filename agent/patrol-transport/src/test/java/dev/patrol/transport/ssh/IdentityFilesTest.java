package dev.patrol.transport.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.patrol.api.Reason;
import dev.patrol.api.Secret;
import dev.patrol.api.SshFailure;
import dev.patrol.testing.SshKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdentityFilesTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ed25519", "ecdsa", "rsa"})
    void loadsOpenSshKeys(String type) {
        Path key = SshKeys.generate(dir.resolve("id_" + type), type, "secret words");

        assertThat(IdentityFiles.load(key, new Secret("secret words"))).hasSize(1);
    }

    @ParameterizedTest(name = "mode {0}")
    @ValueSource(strings = {"rw-r--r--", "rw-r-----", "rw----r--"})
    void refusesKeysOthersCanRead(String mode) throws Exception {
        Path key = SshKeys.generate(dir.resolve("id_ed25519"), "ed25519", "");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString(mode));

        assertThat(IdentityFiles.problem(key)).hasValueSatisfying(problem -> assertThat(problem)
                .startsWith("identity file " + key + " is ")
                .contains("chmod 600 it"));
        assertThatThrownBy(() -> IdentityFiles.load(key, null))
                .isInstanceOfSatisfying(
                        SshFailure.class, f -> assertThat(f.reason()).isEqualTo(Reason.AUTH_FAILED));
    }

    @Test
    void acceptsOwnerOnlyModes() throws Exception {
        Path key = SshKeys.generate(dir.resolve("id_ed25519"), "ed25519", "");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("r--------"));

        assertThat(IdentityFiles.problem(key)).isEmpty();
    }

    @Test
    void namesAMissingFile() {
        assertThat(IdentityFiles.problem(dir.resolve("nope")))
                .contains("identity file " + dir.resolve("nope") + " does not exist");
    }

    @Test
    void anEncryptedKeyWithoutPassphraseSaysSo() {
        Path key = SshKeys.generate(dir.resolve("id_ed25519"), "ed25519", "words");

        assertThatThrownBy(() -> IdentityFiles.load(key, null))
                .isInstanceOf(SshFailure.class)
                .hasMessageContaining("is it encrypted? set identity-passphrase-file");
    }

    @Test
    void theCacheParsesAnUnchangedFileOnce() {
        Path key = SshKeys.generate(dir.resolve("id_ed25519"), "ed25519", "");
        IdentityFiles.Cache cache = new IdentityFiles.Cache();

        var first = cache.load(key, null);
        var second = cache.load(key, null);

        assertThat(second).isSameAs(first).hasSize(1);
    }

    @Test
    void theCacheParsesAgainWhenTheFileIsReplaced() throws Exception {
        Path key = SshKeys.generate(dir.resolve("id_ed25519"), "ed25519", "");
        IdentityFiles.Cache cache = new IdentityFiles.Cache();
        var first = cache.load(key, null);

        // A new key under the same name, as an operator rotating it would write it (a new file, renamed over).
        Path fresh = SshKeys.generate(dir.resolve("fresh"), "ed25519", "");
        Files.move(fresh, key, StandardCopyOption.REPLACE_EXISTING);
        var second = cache.load(key, null);

        assertThat(second).isNotSameAs(first);
        assertThat(second.get(0).getPublic()).isNotEqualTo(first.get(0).getPublic());
    }

    @Test
    void theCacheParsesAgainForAnotherPassphrase() {
        Path key = SshKeys.generate(dir.resolve("id_ed25519"), "ed25519", "words");
        IdentityFiles.Cache cache = new IdentityFiles.Cache();

        var first = cache.load(key, new Secret("words"));
        var second = cache.load(key, new Secret("words"));

        assertThat(second).isNotSameAs(first);
        assertThatThrownBy(() -> cache.load(key, null)).isInstanceOf(SshFailure.class);
    }

    @Test
    void theCacheStillRefusesAKeyThatBecameReadableToOthers() throws Exception {
        Path key = SshKeys.generate(dir.resolve("id_ed25519"), "ed25519", "");
        IdentityFiles.Cache cache = new IdentityFiles.Cache();
        cache.load(key, null);

        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> cache.load(key, null))
                .isInstanceOfSatisfying(
                        SshFailure.class, f -> assertThat(f.getMessage()).contains("chmod 600 it"));
    }
}
