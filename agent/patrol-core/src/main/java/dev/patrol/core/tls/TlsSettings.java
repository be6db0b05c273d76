package dev.patrol.core.tls;

import java.nio.file.Path;

/**
 * {@code patrol.web.tls}, with the semantics of Prometheus' exporter-toolkit web config.
 *
 * @param certFile PEM certificate chain, server certificate first
 * @param keyFile PEM private key of that certificate
 * @param clientCaFile PEM certificates client certificates are verified against; {@code null} unless
 *     {@code clientAuth} verifies
 * @param clientAuth whether a client certificate is asked for, required and verified
 */
public record TlsSettings(Path certFile, Path keyFile, Path clientCaFile, ClientAuth clientAuth) {

    /** Exporter-toolkit's {@code client_auth_type}, in kebab-case. */
    public enum ClientAuth {
        /** No client certificate is asked for ({@code NoClientCert}). */
        NONE,
        /** Asked for, not required, not verified ({@code RequestClientCert}). */
        REQUEST,
        /** Required, not verified ({@code RequireAnyClientCert}). */
        REQUIRE,
        /** Verified against the client CA when given ({@code VerifyClientCertIfGiven}). */
        VERIFY_IF_GIVEN,
        /** Required and verified against the client CA ({@code RequireAndVerifyClientCert}). */
        REQUIRE_AND_VERIFY;

        /** Whether certificates are checked against {@code client-ca-file}. */
        public boolean verifies() {
            return this == VERIFY_IF_GIVEN || this == REQUIRE_AND_VERIFY;
        }
    }
}
