package dev.patrol.transport.http;

import dev.patrol.api.TlsClientFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * Reads PEM certificates and unencrypted private keys. Keys may be PKCS#8 ({@code PRIVATE KEY}), PKCS#1 RSA
 * ({@code RSA PRIVATE KEY}) or SEC1 EC ({@code EC PRIVATE KEY}); the last two are what
 * {@code openssl genrsa -traditional} and {@code openssl ecparam -genkey} write. The JDK's key factories take PKCS#8
 * only, so PKCS#1 and SEC1 go through MINA SSHD's PEM key parsers ({@link SecurityUtils#loadKeyPairIdentities}), which
 * the SSH client already brings; PKCS#8 stays with the JDK, which also reads Ed25519 and Ed448 keys as the JDK's own
 * TLS stack wants them. Shared by the HTTP client (client certificates, CAs) and the web endpoint (server certificate,
 * client CAs). Stateless and thread-safe.
 */
public final class PemFiles {
    /** The password of the in-memory key stores built here; they never touch a disk. */
    public static final char[] NO_PASSWORD = new char[0];

    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=:,\\-\\s]*?)-----END \\1-----");

    private PemFiles() {}

    /** Every certificate in the file, in order; fails when there is none. The same reading as plugins get. */
    public static List<X509Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
        return TlsClientFiles.certificates(file);
    }

    /** The first private key in the file. */
    public static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
        Matcher matcher = BLOCK.matcher(Files.readString(file, StandardCharsets.US_ASCII));
        while (matcher.find()) {
            String type = matcher.group(1);
            boolean encrypted = matcher.group(2).contains("ENCRYPTED");
            switch (type) {
                case "PRIVATE KEY":
                    return pkcs8(Base64.getMimeDecoder().decode(matcher.group(2)), file);
                case "RSA PRIVATE KEY", "EC PRIVATE KEY":
                    if (encrypted) {
                        throw new GeneralSecurityException("encrypted private keys are not supported: " + file);
                    }
                    return traditional(matcher.group(), file);
                case "ENCRYPTED PRIVATE KEY":
                    throw new GeneralSecurityException("encrypted private keys are not supported: " + file);
                default:
                    // EC PARAMETERS and certificates may share the file; skip them.
            }
        }
        throw new GeneralSecurityException("no PEM private key (PKCS#8, PKCS#1 RSA or SEC1 EC) in " + file);
    }

    /** An in-memory store holding {@code key} with {@code chain} under the alias {@code alias}. */
    public static KeyStore keyStore(String alias, PrivateKey key, List<X509Certificate> chain)
            throws GeneralSecurityException {
        KeyStore store = emptyStore();
        store.setKeyEntry(alias, key, NO_PASSWORD, chain.toArray(new X509Certificate[0]));
        return store;
    }

    /** An in-memory store trusting each of {@code certificates}. */
    public static KeyStore trustStore(List<X509Certificate> certificates) throws GeneralSecurityException {
        KeyStore store = emptyStore();
        for (int i = 0; i < certificates.size(); i++) {
            store.setCertificateEntry("ca-" + i, certificates.get(i));
        }
        return store;
    }

    private static KeyStore emptyStore() throws GeneralSecurityException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            return store;
        } catch (IOException e) {
            throw new IllegalStateException("cannot create an in-memory key store", e);
        }
    }

    private static PrivateKey pkcs8(byte[] der, Path file) throws GeneralSecurityException {
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "Ed448"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (InvalidKeySpecException e) {
                // Not this algorithm; try the next.
            }
        }
        throw new GeneralSecurityException("unsupported PKCS#8 key algorithm in " + file);
    }

    /** A PKCS#1 RSA or SEC1 EC block, read by MINA's PEM parsers into a key of the JDK's own providers. */
    private static PrivateKey traditional(String block, Path file) throws GeneralSecurityException {
        Iterable<KeyPair> pairs;
        try {
            pairs = SecurityUtils.loadKeyPairIdentities(
                    null,
                    NamedResource.ofName(file.toString()),
                    new ByteArrayInputStream(block.getBytes(StandardCharsets.US_ASCII)),
                    FilePasswordProvider.EMPTY);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            // MINA names what it could not parse, not always the file; the user needs the file.
            throw new GeneralSecurityException("malformed private key in " + file + ": " + e.getMessage(), e);
        }
        Iterator<KeyPair> found = pairs == null ? null : pairs.iterator();
        if (found == null || !found.hasNext()) {
            throw new GeneralSecurityException("malformed private key in " + file);
        }
        return found.next().getPrivate();
    }
}
