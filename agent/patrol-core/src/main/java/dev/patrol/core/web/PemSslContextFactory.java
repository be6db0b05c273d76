package dev.patrol.core.web;

import dev.patrol.core.tls.TlsMaterial;
import dev.patrol.core.tls.TlsSettings.ClientAuth;
import java.security.KeyStore;
import java.security.cert.CRL;
import java.util.Collection;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Jetty's server TLS factory fed from {@link TlsMaterial} rather than key store files. Client authentication follows
 * exporter-toolkit: {@code request} and {@code require} accept any client certificate without verifying it (as Go's
 * {@code RequestClientCert} and {@code RequireAnyClientCert} do), the verifying modes check it against the client CAs
 * only, never the JDK's default trust store.
 *
 * <p>Thread-safe as Jetty's factory is; {@link #use} is called only inside {@link #reload}, which Jetty serializes.
 */
final class PemSslContextFactory extends SslContextFactory.Server {
    private volatile TlsMaterial material;

    PemSslContextFactory(TlsMaterial material) {
        // Only one certificate: SNI cannot select among several, so neither require it nor check the Host against it.
        setSniRequired(false);
        use(material);
    }

    /** Takes over {@code next}; effective when the factory (re)starts. */
    void use(TlsMaterial next) {
        this.material = next;
        setKeyStore(next.keyStore());
        setKeyStorePassword("");
        ClientAuth clientAuth = next.settings().clientAuth();
        setNeedClientAuth(clientAuth == ClientAuth.REQUIRE || clientAuth == ClientAuth.REQUIRE_AND_VERIFY);
        setWantClientAuth(clientAuth == ClientAuth.REQUEST || clientAuth == ClientAuth.VERIFY_IF_GIVEN);
    }

    TlsMaterial material() {
        return material;
    }

    @Override
    protected TrustManager[] getTrustManagers(KeyStore ignored, Collection<? extends CRL> crls) throws Exception {
        TlsMaterial current = material;
        ClientAuth clientAuth = current.settings().clientAuth();
        if (!clientAuth.verifies()) {
            return clientAuth == ClientAuth.NONE ? null : TRUST_ALL_CERTS;
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(current.trustStore());
        return factory.getTrustManagers();
    }
}
