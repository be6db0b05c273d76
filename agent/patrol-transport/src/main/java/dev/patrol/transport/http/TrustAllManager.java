package dev.patrol.transport.http;

import java.net.Socket;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts every certificate and every host name, for {@code insecure-skip-verify}.
 *
 * <p>It must be an {@link X509ExtendedTrustManager}: the JDK wraps a plain {@code X509TrustManager} in one that still
 * checks the host name (endpoint identification), and the only other switch, the
 * {@code jdk.internal.httpclient.disableHostnameVerification} system property, would turn the check off for every
 * client in the process. Stateless and thread-safe.
 */
final class TrustAllManager extends X509ExtendedTrustManager {
    static final TrustAllManager INSTANCE = new TrustAllManager();

    private static final X509Certificate[] NO_ISSUERS = new X509Certificate[0];

    private TrustAllManager() {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return NO_ISSUERS;
    }
}
