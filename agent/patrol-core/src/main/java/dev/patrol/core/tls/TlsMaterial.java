package dev.patrol.core.tls;

import dev.patrol.transport.http.PemFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;

/**
 * The server certificate, its key and the client CAs of {@code patrol.web.tls}, read from PEM files and checked to fit
 * together: a key that does not belong to the certificate is refused here rather than at the first handshake.
 *
 * <pre>{@code
 * TlsMaterial material = TlsMaterial.load(settings.tls());   // throws Invalid naming the key, e.g. "key-file"
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class TlsMaterial {
    public static final String ALIAS = "patrol";

    private final TlsSettings settings;
    private final KeyStore keyStore;
    private final KeyStore trustStore;
    private final byte[] fingerprint;

    private TlsMaterial(TlsSettings settings, KeyStore keyStore, KeyStore trustStore, byte[] fingerprint) {
        this.settings = settings;
        this.keyStore = keyStore;
        this.trustStore = trustStore;
        this.fingerprint = fingerprint;
    }

    /** A file of {@code patrol.web.tls} that cannot be used; {@link #key()} is the key under {@code tls}. */
    public static final class Invalid extends Exception {
        private final String key;

        Invalid(String key, String message, Throwable cause) {
            super(message, cause);
            this.key = key;
        }

        public String key() {
            return key;
        }
    }

    /**
     * Reads and checks every file {@code tls} names.
     *
     * @throws Invalid naming the first key whose file is missing, unreadable, not PEM, or does not fit
     */
    public static TlsMaterial load(TlsSettings tls) throws Invalid {
        byte[] fingerprint = fingerprint(tls);
        List<X509Certificate> chain = read("cert-file", () -> PemFiles.certificates(tls.certFile()));
        PrivateKey key = read("key-file", () -> PemFiles.privateKey(tls.keyFile()));
        checkPair(key, chain.get(0));
        KeyStore keyStore = read("key-file", () -> PemFiles.keyStore(ALIAS, key, chain));
        KeyStore trustStore = null;
        if (tls.clientCaFile() != null) {
            List<X509Certificate> cas = read("client-ca-file", () -> PemFiles.certificates(tls.clientCaFile()));
            trustStore = read("client-ca-file", () -> PemFiles.trustStore(cas));
        }
        return new TlsMaterial(tls, keyStore, trustStore, fingerprint);
    }

    /**
     * Whether the files now hold something other than what was loaded (compared byte for byte, so a file replaced
     * within the same second, or by rename, is noticed too). A file that cannot be read counts as changed.
     */
    public boolean filesChanged() {
        try {
            return !Arrays.equals(fingerprint, fingerprint(settings));
        } catch (Invalid e) {
            return true;
        }
    }

    public TlsSettings settings() {
        return settings;
    }

    public KeyStore keyStore() {
        return keyStore;
    }

    /** The client CAs, or {@code null} when client certificates are not verified. */
    public KeyStore trustStore() {
        return trustStore;
    }

    /** The contents of every file, concatenated: enough to tell whether anything changed. */
    public static byte[] fingerprint(TlsSettings tls) throws Invalid {
        byte[] cert = bytes("cert-file", tls.certFile());
        byte[] key = bytes("key-file", tls.keyFile());
        byte[] ca = tls.clientCaFile() == null ? new byte[0] : bytes("client-ca-file", tls.clientCaFile());
        byte[] all = Arrays.copyOf(cert, cert.length + key.length + ca.length + 2);
        // Separators keep "ab" + "c" apart from "a" + "bc".
        all[cert.length] = 0;
        System.arraycopy(key, 0, all, cert.length + 1, key.length);
        all[cert.length + 1 + key.length] = 0;
        System.arraycopy(ca, 0, all, cert.length + key.length + 2, ca.length);
        return all;
    }

    private static byte[] bytes(String key, Path file) throws Invalid {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new Invalid(key, "expected a readable PEM file, cannot read '" + file + "': " + e, e);
        }
    }

    /** Signs with the key and verifies with the certificate: the only way the JDK tells whether they are a pair. */
    private static void checkPair(PrivateKey key, X509Certificate certificate) throws Invalid {
        String algorithm =
                switch (key.getAlgorithm()) {
                    case "RSA" -> "SHA256withRSA";
                    case "EC" -> "SHA256withECDSA";
                    case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
                    default -> null;
                };
        if (algorithm == null) {
            throw new Invalid("key-file", "expected an RSA, EC or EdDSA private key, got " + key.getAlgorithm(), null);
        }
        byte[] probe = "patrol key check".getBytes(StandardCharsets.US_ASCII);
        boolean matches;
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            matches = verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            matches = false;
        }
        if (!matches) {
            throw new Invalid("key-file", "expected the private key of the certificate in cert-file", null);
        }
    }

    private interface PemRead<T> {
        T read() throws IOException, GeneralSecurityException;
    }

    private static <T> T read(String key, PemRead<T> reader) throws Invalid {
        try {
            return reader.read();
        } catch (IOException | GeneralSecurityException e) {
            throw new Invalid(key, "expected a PEM file: " + e.getMessage(), e);
        }
    }
}
