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
import org.apache.sshd.client.config.hosts.KnownHostEntry;
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
    void aRevokedKeyIsChangedWhereverItStandsInTheFile() throws Exception {
        PublicKey key = newKey();
        String text = PublicKeyEntry.toString(key);
        KnownHosts hosts = file("web-1 " + text, "@revoked * " + text);

        assertThat(hosts.check("web-1", 22, key)).isEqualTo(Verdict.CHANGED);
    }

    @Test
    void findsItsHostAmongManyAndStillMatchesPatterns() throws Exception {
        PublicKey mine = newKey();
        PublicKey shared = newKey();
        List<String> lines = new java.util.ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            lines.add("[10.1." + (i / 250) + "." + (i % 250) + "]:2222 " + PublicKeyEntry.toString(newKey()));
        }
        lines.add("[10.9.9.9]:2222,DB-7 " + PublicKeyEntry.toString(mine));
        lines.add("*.example.org " + PublicKeyEntry.toString(shared));
        lines.add("10.3.*,!10.3.0.1 " + PublicKeyEntry.toString(shared));
        KnownHosts hosts = file(lines.toArray(String[]::new));

        assertThat(hosts.check("10.9.9.9", 2222, mine)).isEqualTo(Verdict.TRUSTED);
        assertThat(hosts.check("db-7", 22, mine)).isEqualTo(Verdict.TRUSTED);
        assertThat(hosts.check("10.1.0.5", 2222, mine)).isEqualTo(Verdict.CHANGED);
        assertThat(hosts.check("web.example.org", 22, shared)).isEqualTo(Verdict.TRUSTED);
        assertThat(hosts.check("10.3.0.2", 22, shared)).isEqualTo(Verdict.TRUSTED);
        assertThat(hosts.check("10.3.0.1", 22, shared)).isEqualTo(Verdict.UNKNOWN);
        assertThat(hosts.check("10.4.0.1", 22, shared)).isEqualTo(Verdict.UNKNOWN);
    }

    @Test
    void literalHostsAreTheNamesWithoutPortsAndNoneWhenAnyNameIsAPattern() {
        String key = " ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl";
        assertThat(KnownHosts.literalHosts(KnownHostEntry.parseKnownHostEntry("Web-1,[10.0.0.2]:2222" + key)))
                .containsExactly("web-1", "10.0.0.2");
        assertThat(KnownHosts.literalHosts(KnownHostEntry.parseKnownHostEntry("@revoked web-1" + key)))
                .containsExactly("web-1");
        assertThat(KnownHosts.literalHosts(KnownHostEntry.parseKnownHostEntry("web-1,*.example.org" + key)))
                .isEmpty();
        assertThat(KnownHosts.literalHosts(KnownHostEntry.parseKnownHostEntry("web-?" + key)))
                .isEmpty();
        assertThat(KnownHosts.literalHosts(KnownHostEntry.parseKnownHostEntry("!web-1" + key)))
                .isEmpty();
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
