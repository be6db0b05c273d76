package dev.patrol.transport.http;

import dev.patrol.api.HttpClientOptions;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/** Builds the {@link SSLContext} for one set of options from PEM files. Stateless and thread-safe. */
final class TlsContexts {
    private TlsContexts() {}

    /**
     * A TLS context trusting {@code caFile} (or the JDK's store, or anything when insecure) and presenting the client
     * certificate when one is set.
     *
     * @throws IllegalArgumentException naming the file that could not be read or parsed
     */
    static SSLContext create(HttpClientOptions options) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers(options), trustManagers(options), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static TrustManager[] trustManagers(HttpClientOptions options) throws GeneralSecurityException {
        if (options.insecureSkipVerify()) {
            return new TrustManager[] {TrustAllManager.INSTANCE};
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        if (options.caFile() == null) {
            factory.init((KeyStore) null);
            return factory.getTrustManagers();
        }
        List<X509Certificate> cas = read(() -> PemFiles.certificates(options.caFile()), "ca-file");
        factory.init(PemFiles.trustStore(cas));
        return factory.getTrustManagers();
    }

    private static KeyManager[] keyManagers(HttpClientOptions options) throws GeneralSecurityException {
        if (options.clientCertFile() == null) {
            return null;
        }
        List<X509Certificate> chain = read(() -> PemFiles.certificates(options.clientCertFile()), "cert-file");
        PrivateKey key = read(() -> PemFiles.privateKey(options.clientKeyFile()), "key-file");
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(PemFiles.keyStore("client", key, chain), PemFiles.NO_PASSWORD);
        return factory.getKeyManagers();
    }

    private interface PemRead<T> {
        T read() throws IOException, GeneralSecurityException;
    }

    private static <T> T read(PemRead<T> reader, String key) {
        try {
            return reader.read();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("tls." + key + ": " + e.getMessage(), e);
        }
    }
}
