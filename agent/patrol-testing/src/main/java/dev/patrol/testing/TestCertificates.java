package dev.patrol.testing;

import dev.patrol.api.TlsClientFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * A throwaway certificate authority and the certificates it signs, made with the {@code openssl} command-line tool and
 * written as PEM files. Server certificates are valid for {@code 127.0.0.1}, {@code ::1} and {@code localhost}.
 *
 * <pre>{@code
 * TestCertificates certs = TestCertificates.create(tempDir);
 * TestCertificates.Issued server = certs.server(Instant.now().plus(Duration.ofDays(30)));
 * nginx.tls(server);                       // ssl_certificate server.certFile(), ssl_certificate_key server.keyFile()
 * clientOptions(certs.caFile());           // trust the CA
 * }</pre>
 *
 * <p>Not thread-safe: each call runs {@code openssl}, writing into the directory given to {@link #create}. Skips the
 * calling test when {@code openssl} is missing (fails under CI), as {@link TestPeers#require} does.
 */
public final class TestCertificates {
    private static final DateTimeFormatter OPENSSL_TIME =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Path openssl;
    private final Path dir;
    private final Path caFile;
    private final Path caKeyFile;
    private int issued;

    /**
     * A key and certificate issued by this CA.
     *
     * @param certFile PEM certificate
     * @param keyFile PEM private key (PKCS#8, unencrypted)
     * @param notAfter the certificate's expiry, to the second
     */
    public record Issued(Path certFile, Path keyFile, Instant notAfter) {
        /**
         * The TLS context of a test server that presents this certificate. A context's key and trust managers serve
         * either side of a handshake, so the one plugins build for clients serves here.
         *
         * @param clientCa the CA whose client certificates the server trusts; {@code null}: the JDK's trust store
         */
        public SSLContext serverContext(Path clientCa) throws IOException, GeneralSecurityException {
            return TlsClientFiles.clientContext(
                    clientCa == null ? null : TlsClientFiles.certificates(clientCa),
                    false,
                    TlsClientFiles.privateKey(keyFile),
                    TlsClientFiles.certificates(certFile));
        }
    }

    private TestCertificates(Path openssl, Path dir, Path caFile, Path caKeyFile) {
        this.openssl = openssl;
        this.dir = dir;
        this.caFile = caFile;
        this.caKeyFile = caKeyFile;
    }

    /** A new CA (RSA 2048, valid ten years) written to {@code dir/ca.pem} and {@code dir/ca-key.pem}. */
    public static TestCertificates create(Path dir) {
        Path openssl = TestPeers.require("openssl");
        Path caFile = dir.resolve("ca.pem");
        Path caKey = dir.resolve("ca-key.pem");
        run(
                openssl,
                dir,
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "3650",
                "-subj",
                "/CN=Patrol Test CA",
                "-keyout",
                caKey.toString(),
                "-out",
                caFile.toString());
        return new TestCertificates(openssl, dir, caFile, caKey);
    }

    /** The CA certificate, to trust as a {@code ca-file}. */
    public Path caFile() {
        return caFile;
    }

    /** A server certificate for 127.0.0.1, ::1 and localhost that expires at {@code notAfter} (whole seconds). */
    public Issued server(Instant notAfter) {
        return server(notAfter, "DNS:localhost,IP:127.0.0.1,IP:::1");
    }

    /**
     * A server certificate for other names, in openssl's subjectAltName syntax such as
     * {@code "DNS:other.example"}; useful to test host name verification.
     */
    public Issued server(Instant notAfter, String subjectAltNames) {
        return issue("server", "subjectAltName=" + subjectAltNames + "\nextendedKeyUsage=serverAuth", notAfter);
    }

    /** A client certificate with common name {@code commonName}, for mutual TLS. */
    public Issued client(String commonName, Instant notAfter) {
        return issue(commonName, "extendedKeyUsage=clientAuth", notAfter);
    }

    private Issued issue(String commonName, String extensions, Instant notAfter) {
        String name = "cert-" + (++issued);
        Path key = dir.resolve(name + "-key.pem");
        Path csr = dir.resolve(name + ".csr");
        Path cert = dir.resolve(name + ".pem");
        Instant expiry = notAfter.truncatedTo(ChronoUnit.SECONDS);
        try {
            Path db = dir.resolve("ca-db");
            Files.createDirectories(db);
            Path index = db.resolve("index.txt");
            Files.writeString(index, "");
            Path serial = db.resolve("serial");
            Files.writeString(serial, String.format("%04X%n", 0x1000 + issued));
            Path extFile = dir.resolve(name + ".ext");
            Files.writeString(extFile, extensions + "\n");
            // openssl ca, unlike openssl x509, takes an exact end date; it needs this minimal CA database.
            Path caConfig = dir.resolve(name + ".cnf");
            Files.writeString(
                    caConfig,
                    String.join(
                            "\n",
                            "[ ca ]",
                            "default_ca = test_ca",
                            "[ test_ca ]",
                            "database = " + index,
                            "new_certs_dir = " + db,
                            "serial = " + serial,
                            "default_md = sha256",
                            "policy = any_name",
                            "unique_subject = no",
                            "[ any_name ]",
                            "commonName = supplied",
                            ""));
            run(
                    openssl,
                    dir,
                    "req",
                    "-newkey",
                    "rsa:2048",
                    "-nodes",
                    "-subj",
                    "/CN=" + commonName,
                    "-keyout",
                    key.toString(),
                    "-out",
                    csr.toString());
            Instant start = Instant.now().minus(1, ChronoUnit.DAYS);
            run(
                    openssl,
                    dir,
                    "ca",
                    "-batch",
                    "-notext",
                    "-config",
                    caConfig.toString(),
                    "-cert",
                    caFile.toString(),
                    "-keyfile",
                    caKeyFile.toString(),
                    "-in",
                    csr.toString(),
                    "-out",
                    cert.toString(),
                    "-startdate",
                    OPENSSL_TIME.format(start.isBefore(expiry) ? start : expiry.minus(1, ChronoUnit.DAYS)),
                    "-enddate",
                    OPENSSL_TIME.format(expiry),
                    "-extfile",
                    extFile.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Issued(cert, key, expiry);
    }

    /**
     * Runs {@code openssl} with {@code args} in {@code dir} and returns its standard output; fails with its output
     * when it exits non-zero. Also usable for one-off tasks such as {@code passwd -apr1}.
     */
    public static String openssl(Path dir, String... args) {
        return run(TestPeers.require("openssl"), dir, args);
    }

    private static String run(Path openssl, Path dir, String... args) {
        List<String> command = new ArrayList<>();
        command.add(openssl.toString());
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("openssl " + args[0] + " did not finish within 60 s");
            }
            String text = new String(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException("openssl " + String.join(" ", args) + " failed: " + text);
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running openssl", e);
        }
    }
}
