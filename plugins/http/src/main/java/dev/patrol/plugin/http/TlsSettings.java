package dev.patrol.plugin.http;

import dev.patrol.api.SettingsReader;
import java.nio.file.Path;

/**
 * The {@code tls { ... }} block of an http check.
 *
 * @param caFile PEM CA bundle trusted instead of the JDK's, or {@code null}
 * @param insecureSkipVerify accept any certificate and host name
 * @param certFile PEM client certificate chain for mutual TLS, or {@code null}
 * @param keyFile PEM private key of {@code certFile}, or {@code null}
 */
record TlsSettings(Path caFile, boolean insecureSkipVerify, Path certFile, Path keyFile) {

    static TlsSettings from(SettingsReader reader) {
        Path ca = reader.has("tls.ca-file") ? reader.readableFile("tls.ca-file") : null;
        Boolean insecure = reader.bool("tls.insecure-skip-verify");
        Path cert = reader.has("tls.cert-file") ? reader.readableFile("tls.cert-file") : null;
        Path key = reader.has("tls.key-file") ? reader.readableFile("tls.key-file") : null;
        if (reader.has("tls.cert-file") != reader.has("tls.key-file")) {
            String missing = reader.has("tls.cert-file") ? "tls.key-file" : "tls.cert-file";
            reader.problem(missing, "is required: a client certificate needs both tls.cert-file and tls.key-file");
        }
        return new TlsSettings(ca, Boolean.TRUE.equals(insecure), cert, key);
    }
}
