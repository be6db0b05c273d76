package dev.patrol.transport.http;

import dev.patrol.testing.TestCertificates;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** The SSL context of a test HTTPS server, from the PEM files {@link TestCertificates} issues. */
final class ServerSslContexts {
    private ServerSslContexts() {}

    /**
     * @param serverCert the server's certificate and key
     * @param clientCa the CA whose client certificates the server trusts, or {@code null} for the JDK's defaults
     */
    static SSLContext of(TestCertificates.Issued serverCert, Path clientCa) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry(
                "server",
                PemFiles.privateKey(serverCert.keyFile()),
                new char[0],
                PemFiles.certificates(serverCert.certFile()).toArray(new X509Certificate[0]));
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, new char[0]);
        TrustManagerFactory trustManagers = null;
        if (clientCa != null) {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry("ca", PemFiles.certificates(clientCa).get(0));
            trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trusted);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(
                keyManagers.getKeyManagers(), trustManagers == null ? null : trustManagers.getTrustManagers(), null);
        return context;
    }
}
