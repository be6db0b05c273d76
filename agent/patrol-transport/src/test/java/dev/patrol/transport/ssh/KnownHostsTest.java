package dev.patrol.transport.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.patrol.testing.SshKeys;
import dev.patrol.transport.ssh.KnownHosts.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.List;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnownHostsTest {
    @TempDir
    Path dir;

    static PublicKey newKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        return generator.generateKeyPair().getPublic();
    }

    KnownHosts file(String... lines) {
        return new KnownHosts(SshKeys.writeKnownHosts(dir.resolve("known_hosts"), List.of(lines)));
    }

    @Test
    void matchesPlainAndPortEntries() throws Exception {
        PublicKey key = newKey();
        String text = PublicKeyEntry.toString(key);
        KnownHosts hosts = file("# comment", "web-1,10.0.0.1 " + text, "[10.0.0.2]:2222 " + text);

        assertThat(hosts.check("web-1", 22, key)).isEqualTo(Verdict.TRUSTED);
        assertThat(hosts.check("10.0.0.1", 22, key)).isEqualTo(Verdict.TRUSTED);
        assertThat(hosts.check("10.0.0.2", 2222, key)).isEqualTo(Verdict.TRUSTED);
        assertThat(hosts.check("10.0.0.2", 22, key)).isEqualTo(Verdict.UNKNOWN);
        assertThat(hosts.check("web-2", 22, key)).isEqualTo(Verdict.UNKNOWN);
    }

    @Test
    void matchesHashedEntries() throws Exception {
        PublicKey key = newKey();
        KnownHosts hosts = file(SshKeys.knownHostsLine("127.0.0.1", 2022, PublicKeyEntry.toString(key), true));

        assertThat(hosts.check("127.0.0.1", 2022, key)).isEqualTo(Verdict.TRUSTED);
        assertThat(hosts.check("127.0.0.1", 2023, key)).isEqualTo(Verdict.UNKNOWN);
    }

    @Test
    void aDifferentKeyForAKnownHostIsChanged() throws Exception {
        KnownHosts hosts = file("web-1 " + PublicKeyEntry.toString(newKey()));

        assertThat(hosts.check("web-1", 22, newKey())).isEqualTo(Verdict.CHANGED);
    }

    @Test
    void aRevokedKeyIsChangedEvenWhenAlsoListed() throws Exception {
        PublicKey key = newKey();
        String text = PublicKeyEntry.toString(key);
        KnownHosts hosts = file("@revoked * " + text, "web-1 " + text);

        assertThat(hosts.check("web-1", 22, key)).isEqualTo(Verdict.CHANGED);
    }

    @Test
    void appendsAndSeesTheNewEntry() throws Exception {
        PublicKey key = newKey();
        Path path = dir.resolve("known_hosts");
        Files.writeString(path, "other " + PublicKeyEntry.toString(newKey())); // no final newline
        KnownHosts hosts = new KnownHosts(path);
        assertThat(hosts.check("127.0.0.1", 2022, key)).isEqualTo(Verdict.UNKNOWN);

        hosts.append("127.0.0.1", 2022, key);

        assertThat(Files.readAllLines(path))
                .hasSize(2)
                .last()
                .asString()
                .startsWith("[127.0.0.1]:2022 ecdsa-sha2-nistp256 ");
        assertThat(hosts.check("127.0.0.1", 2022, key)).isEqualTo(Verdict.TRUSTED);
    }

    @Test
    void aMissingFileIsAnError() {
        KnownHosts hosts = new KnownHosts(dir.resolve("absent"));

        assertThatThrownBy(() -> hosts.check("web-1", 22, newKey()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("does not exist");
    }
}
