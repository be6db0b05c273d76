package dev.patrol.plugin.logtail;

import dev.patrol.api.SettingsReader;
import dev.patrol.api.TlsClientFiles;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * {@code forward.syslog.tls}: syslog over TLS (RFC 5425 transport, RFC 6587 octet counting inside), TLS 1.2 and 1.3
 * only, the receiver's certificate checked against {@code ca-file} (or the JDK's trust store) and its name against
 * {@code server-name} (or the host of {@code address}), with an optional client certificate. The PEM files are read
 * once, when the config is loaded: a missing or unparsable file is a config error, never a failed run.
 *
 * @param context the TLS context built from the files
 * @param serverName the name the certificate must hold (a DNS name or an IP address), also sent as SNI
 * @param verifyName whether the name is checked; only {@code insecure-skip-verify} turns it off
 */
record SyslogTls(SSLContext context, String serverName, boolean verifyName) {
    private static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /** The TLS settings of the forwarder to {@code host}, or {@code null} when {@code tls.enabled} is false. */
    static SyslogTls from(SettingsReader reader, String host) {
        String prefix = "forward.syslog.tls.";
        Boolean enabled = reader.bool(prefix + "enabled");
        Boolean insecure = reader.bool(prefix + "insecure-skip-verify");
        if (!Boolean.TRUE.equals(enabled)) {
            return null;
        }
        List<X509Certificate> cas = reader.has(prefix + "ca-file") ? certificates(reader, prefix + "ca-file") : null;
        List<X509Certificate> chain = null;
        PrivateKey key = null;
        if (reader.has(prefix + "cert-file") != reader.has(prefix + "key-file")) {
            String missing = reader.has(prefix + "cert-file") ? "key-file" : "cert-file";
            reader.problem(prefix + missing, "is required: a client certificate needs both cert-file and key-file");
        } else if (reader.has(prefix + "cert-file")) {
            chain = certificates(reader, prefix + "cert-file");
            key = privateKey(reader, prefix + "key-file");
        }
        String serverName = reader.optionalString(prefix + "server-name").orElse(host);
        if (serverName.isBlank() || !serverName.matches("[A-Za-z0-9.:_-]+")) {
            reader.problem(prefix + "server-name", "expected a DNS name or an IP address, got '" + serverName + "'");
        }
        if (!reader.isValid() || insecure == null) {
            return null;
        }
        try {
            return new SyslogTls(TlsClientFiles.clientContext(cas, insecure, key, chain), serverName, !insecure);
        } catch (GeneralSecurityException e) {
            reader.problem(prefix + "enabled", "expected a usable TLS setup: " + e.getMessage());
            return null;
        }
    }

    private static List<X509Certificate> certificates(SettingsReader reader, String path) {
        Path file = reader.readableFile(path);
        try {
            return file == null ? null : TlsClientFiles.certificates(file);
        } catch (IOException | GeneralSecurityException e) {
            reader.problem(path, "expected a PEM file of certificates, " + file + ": " + e.getMessage());
            return null;
        }
    }

    private static PrivateKey privateKey(SettingsReader reader, String path) {
        Path file = reader.readableFile(path);
        try {
            return file == null ? null : TlsClientFiles.privateKey(file);
        } catch (IOException | GeneralSecurityException e) {
            reader.problem(path, "expected " + e.getMessage());
            return null;
        }
    }

    /**
     * TLS over the connected {@code socket}, with its handshake done: nothing of the caller's is written before the
     * receiver's certificate and name were accepted.
     *
     * @throws javax.net.ssl.SSLException when the handshake fails (untrusted certificate, wrong name, no common
     *     protocol)
     */
    SSLSocket handshake(Socket socket, int port) throws IOException {
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, serverName, port, true);
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setProtocols(Arrays.stream(tls.getSupportedProtocols())
                .filter(PROTOCOLS::contains)
                .toArray(String[]::new));
        if (verifyName) {
            // The JDK's RFC 2818 / RFC 6125 check: a DNS name against the certificate's DNS names, an IP address
            // against its IP addresses.
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
        tls.setSSLParameters(parameters);
        try {
            tls.startHandshake();
        } catch (javax.net.ssl.SSLException e) {
            throw new javax.net.ssl.SSLException("TLS handshake failed: " + e.getMessage(), e);
        }
        return tls;
    }

    /** How long a receiver is given to refuse the agent after the handshake, at most. */
    static final int ACCEPTANCE_MILLIS = 500;

    /**
     * Waits up to {@link #ACCEPTANCE_MILLIS} (or {@code timeoutMillis} when shorter) for the receiver to close the
     * connection right after the handshake, as rsyslog does with a client certificate it refuses (or none when it
     * wants one): it checks the certificate only after the handshake, and a syslog receiver never answers otherwise.
     * Silence means it accepted; the read timeout is then put back.
     *
     * @throws javax.net.ssl.SSLException when the receiver closed or reset the connection
     */
    void awaitAcceptance(Socket socket, int timeoutMillis) throws IOException {
        socket.setSoTimeout(Math.min(timeoutMillis, ACCEPTANCE_MILLIS));
        String refused = "the receiver closed the connection right after the TLS handshake, before any line was sent:"
                + " it refused the agent (does it want a client certificate, tls.cert-file, or another one?)";
        try {
            int first = socket.getInputStream().read();
            throw new javax.net.ssl.SSLException(
                    first < 0 ? refused : "the receiver sent data, which syslog never does");
        } catch (java.net.SocketTimeoutException e) {
            socket.setSoTimeout(timeoutMillis); // still open and silent: accepted
        } catch (javax.net.ssl.SSLException e) {
            throw e;
        } catch (IOException e) {
            throw new javax.net.ssl.SSLException(refused + ": " + e.getMessage(), e);
        }
    }
}
