package dev.patrol.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * SSH key pairs and known_hosts files for tests, made with the real {@code ssh-keygen} so that they are exactly what
 * users have on disk (OpenSSH private key format, mode 0600).
 *
 * <pre>{@code
 * Path key = SshKeys.generate(dir.resolve("id_ed25519"), "ed25519", "");
 * SshKeys.writeKnownHosts(dir.resolve("known_hosts"), false, sshd.knownHostsLine());
 * }</pre>
 *
 * <p>Stateless and thread-safe. Skips the calling test when ssh-keygen is missing (fails under CI).
 */
public final class SshKeys {
    private static final long KEYGEN_TIMEOUT_SECONDS = 60;

    private SshKeys() {}

    /**
     * Writes a new key pair: the private key at {@code privateKey} (mode 0600) and the public key beside it with
     * {@code .pub} appended.
     *
     * @param type {@code ed25519}, {@code ecdsa} or {@code rsa}
     * @param passphrase the passphrase, or empty for an unencrypted key
     * @return {@code privateKey}
     */
    public static Path generate(Path privateKey, String type, String passphrase) {
        Path keygen = TestPeers.require("ssh-keygen");
        List<String> command = new ArrayList<>(List.of(keygen.toString(), "-q", "-t", type, "-N", passphrase));
        if (type.equals("rsa")) {
            command.addAll(List.of("-b", "2048"));
        }
        command.addAll(
                List.of("-C", "patrol-test", "-f", privateKey.toAbsolutePath().toString()));
        try {
            Files.deleteIfExists(privateKey);
            Files.deleteIfExists(publicKeyOf(privateKey));
            run(command);
            Files.setPosixFilePermissions(privateKey, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return privateKey;
    }

    /** The {@code .pub} file next to a private key. */
    public static Path publicKeyOf(Path privateKey) {
        return privateKey.resolveSibling(privateKey.getFileName() + ".pub");
    }

    /** The public key as {@code "<type> <base64>"}, without the comment. */
    public static String publicKeyText(Path privateKey) {
        try {
            String[] parts = Files.readString(publicKeyOf(privateKey), StandardCharsets.US_ASCII)
                    .trim()
                    .split("\\s+");
            return parts[0] + " " + parts[1];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One known_hosts line for {@code host:port}, written as OpenSSH does: {@code host} for port 22, else
     * {@code [host]:port}; hashed ({@code |1|salt|hmac}) when asked, like {@code HashKnownHosts yes}.
     */
    public static String knownHostsLine(String host, int port, String publicKeyText, boolean hashed) {
        String name = port == 22 ? host : "[" + host + "]:" + port;
        return (hashed ? hash(name) : name) + " " + publicKeyText;
    }

    /** Writes {@code lines} as a known_hosts file (mode 0644, as ssh leaves it). */
    public static Path writeKnownHosts(Path file, List<String> lines) {
        try {
            Files.write(file, lines, StandardCharsets.US_ASCII);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String hash(String name) {
        try {
            byte[] salt = new byte[20];
            new SecureRandom().nextBytes(salt);
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(salt, "HmacSHA1"));
            byte[] digest = mac.doFinal(name.getBytes(StandardCharsets.US_ASCII));
            Base64.Encoder base64 = Base64.getEncoder();
            return "|1|" + base64.encodeToString(salt) + "|" + base64.encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is part of every JDK", e);
        }
    }

    static void run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(KEYGEN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("Timed out: " + String.join(" ", command));
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IOException(
                        "Failed (exit " + process.exitValue() + "): " + String.join(" ", command) + "\n" + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("Interrupted: " + String.join(" ", command), e);
        }
    }
}
