package dev.patrol.core.web;

import dev.patrol.core.tls.TlsMaterial;
import dev.patrol.core.tls.TlsSettings;
import java.security.KeyStoreException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves renewed certificates without a restart: {@link #check()} (called every few seconds) compares the PEM files
 * with what was loaded and, when they changed and the new set is usable, rebuilds Jetty's TLS context. Existing
 * connections keep their session; new handshakes get the new certificate. A half-written or mismatched set is
 * logged once and the old certificate stays in use until the files change again.
 *
 * <p>Thread-safe: every method is synchronized.
 */
final class CertificateReloader {
    private static final Logger logger = LoggerFactory.getLogger(CertificateReloader.class);

    private final PemSslContextFactory factory;
    private byte[] lastRejected;

    CertificateReloader(PemSslContextFactory factory) {
        this.factory = factory;
    }

    /** Reloads when the files changed since the last load. */
    synchronized void check() {
        TlsMaterial current = factory.material();
        if (current.filesChanged()) {
            load(current.settings());
        }
    }

    /** Loads {@code tls} (new paths or client authentication after a config reload) whether or not files changed. */
    synchronized void update(TlsSettings tls) {
        if (!tls.equals(factory.material().settings()) || factory.material().filesChanged()) {
            load(tls);
        }
    }

    private void load(TlsSettings tls) {
        TlsMaterial next;
        try {
            next = TlsMaterial.load(tls);
        } catch (TlsMaterial.Invalid e) {
            byte[] rejected = fingerprintOrNull(tls);
            if (rejected == null || !Arrays.equals(rejected, lastRejected)) {
                logger.atWarn()
                        .addKeyValue("key", "patrol.web.tls." + e.key())
                        .log(
                                "TLS files changed but cannot be used, the current certificate stays in use: {}",
                                e.getMessage());
            }
            lastRejected = rejected;
            return;
        }
        try {
            factory.reload(reloading -> factory.use(next));
        } catch (Exception e) {
            logger.atWarn()
                    .log("Reloading the TLS context failed, the current certificate stays in use: {}", e.toString());
            return;
        }
        lastRejected = null;
        logServed("Serving a new TLS certificate");
    }

    /** Logs the certificate in use at INFO: subject, expiry, client authentication. */
    synchronized void logServed(String message) {
        TlsMaterial material = factory.material();
        try {
            X509Certificate certificate = (X509Certificate) material.keyStore().getCertificate(TlsMaterial.ALIAS);
            logger.atInfo()
                    .addKeyValue(
                            "subject", certificate.getSubjectX500Principal().getName())
                    .addKeyValue("not_after", certificate.getNotAfter().toInstant())
                    .addKeyValue(
                            "client_auth",
                            material.settings()
                                    .clientAuth()
                                    .name()
                                    .toLowerCase(Locale.ROOT)
                                    .replace('_', '-'))
                    .log(message);
        } catch (KeyStoreException e) {
            logger.atInfo().log(message);
        }
    }

    private static byte[] fingerprintOrNull(TlsSettings tls) {
        try {
            return TlsMaterial.fingerprint(tls);
        } catch (TlsMaterial.Invalid e) {
            return null;
        }
    }
}
