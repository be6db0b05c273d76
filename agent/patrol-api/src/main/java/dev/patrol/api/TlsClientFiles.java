package dev.patrol.api;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A client-side {@link SSLContext} from PEM files, for a plugin that opens its own TLS connections (the log-tail
 * plugin's syslog forwarder) rather than going through {@link CheckContext#http}. Certificates are read by the JDK's
 * own {@link CertificateFactory}; private keys must be PKCS#8 ({@code BEGIN PRIVATE KEY}, what {@code openssl req
 * -nodes} and {@code openssl genpkey} write), read by the JDK's key factories. The agent's HTTP client also reads
 * PKCS#1 RSA and SEC1 EC keys, through MINA SSHD's parsers; the SPI depends on nothing but Typesafe Config, so here
 * those are refused with the {@code openssl pkcs8} command that converts them. Call it when the config is loaded, so a
 * bad file is a config error and not a failed run. Stateless and thread-safe.
 */
public final class TlsClientFiles {
    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=:,\\-\\s]*?)-----END \\1-----");
    private static final char[] NO_PASSWORD = new char[0];

    private TlsClientFiles() {}

    /** Every certificate in the PEM file, in order; fails when there is none. */
    public static List<X509Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
        byte[] pem = Files.readAllBytes(file);
        List<X509Certificate> result = new ArrayList<>();
        for (Certificate certificate :
                CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem))) {
            result.add((X509Certificate) certificate);
        }
        if (result.isEmpty()) {
            throw new GeneralSecurityException("no PEM certificate in " + file);
        }
        return result;
    }

    /** The first PKCS#8 private key (RSA, EC, Ed25519 or Ed448) in the PEM file. */
    public static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
        Matcher matcher = BLOCK.matcher(Files.readString(file, StandardCharsets.US_ASCII));
        while (matcher.find()) {
            switch (matcher.group(1)) {
                case "PRIVATE KEY":
                    byte[] der;
                    try {
                        der = Base64.getMimeDecoder().decode(matcher.group(2));
                    } catch (IllegalArgumentException e) {
                        throw new GeneralSecurityException("valid base64 in " + file + ": " + e.getMessage(), e);
                    }
                    return pkcs8(der, file);
                case "RSA PRIVATE KEY", "EC PRIVATE KEY":
                    throw new GeneralSecurityException("a PKCS#8 key (BEGIN PRIVATE KEY) in " + file + ", found "
                            + matcher.group(1) + "; convert it with openssl pkcs8 -topk8 -nocrypt -in " + file);
                case "ENCRYPTED PRIVATE KEY":
                    throw new GeneralSecurityException("an unencrypted key, " + file + " is encrypted");
                default:
                    // Certificates or EC PARAMETERS may share the file; skip them.
            }
        }
        throw new GeneralSecurityException("a PEM private key (BEGIN PRIVATE KEY), found none in " + file);
    }

    /**
     * A TLS context that trusts {@code cas} (the JDK's trust store when {@code null}, anything when
     * {@code trustAll}) and presents {@code chain} with {@code key} when the server asks for a client certificate
     * ({@code key} {@code null}: none). Host name verification is the caller's, on the socket's parameters.
     */
    public static SSLContext clientContext(
            List<X509Certificate> cas, boolean trustAll, PrivateKey key, List<X509Certificate> chain)
            throws GeneralSecurityException {
        KeyManager[] keyManagers = null;
        if (key != null) {
            KeyStore store = emptyStore();
            store.setKeyEntry("client", key, NO_PASSWORD, chain.toArray(new X509Certificate[0]));
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, NO_PASSWORD);
            keyManagers = factory.getKeyManagers();
        }
        TrustManager[] trustManagers;
        if (trustAll) {
            trustManagers = new TrustManager[] {new TrustAll()};
        } else {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (cas == null) {
                factory.init((KeyStore) null);
            } else {
                KeyStore store = emptyStore();
                for (int i = 0; i < cas.size(); i++) {
                    store.setCertificateEntry("ca-" + i, cas.get(i));
                }
                factory.init(store);
            }
            trustManagers = factory.getTrustManagers();
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers, trustManagers, null);
        return context;
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
        throw new GeneralSecurityException("a PKCS#8 key of RSA, EC, Ed25519 or Ed448, " + file + " holds none");
    }

    /** {@code insecure-skip-verify}: accepts any server certificate; the caller also skips host name checks. */
    private static final class TrustAll extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
