package dev.patrol.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigUtil;
import dev.patrol.api.InvalidSettingsException;
import dev.patrol.api.SettingsReader;
import dev.patrol.core.tls.TlsMaterial;
import dev.patrol.core.tls.TlsSettings;
import dev.patrol.core.tls.TlsSettings.ClientAuth;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code patrol.web}: where the metrics and status endpoint listens, and how it is secured.
 *
 * <pre>{@code
 * WebSettings web = WebSettings.from(patrol.getConfig("web"), Path.of("/etc/patrol"));
 * }</pre>
 *
 * @param host address to bind, e.g. {@code 127.0.0.1} or {@code 0.0.0.0}
 * @param port TCP port; 0 picks a free one (tests)
 * @param maxThreads upper bound on request threads
 * @param maxConnections connections above this wait in the accept queue
 * @param idleTimeoutMillis how long a connection may stay silent
 * @param headerTimeoutMillis how long a client may take to send a whole request head
 * @param tls {@code patrol.web.tls}, or {@code null} for plain HTTP
 * @param basicAuthUsers user name to bcrypt hash; empty means no authentication
 */
public record WebSettings(
        String host,
        int port,
        int maxThreads,
        int maxConnections,
        long idleTimeoutMillis,
        long headerTimeoutMillis,
        TlsSettings tls,
        Map<String, String> basicAuthUsers) {

    private static final String LISTEN_EXAMPLE = "host:port such as 127.0.0.1:9740 or [::1]:9740";
    /** bcrypt in modular crypt format, as {@code htpasswd -nBC 10 USER} writes it after the colon. */
    private static final Pattern BCRYPT = Pattern.compile("\\$2[abxy]?\\$(\\d{2})\\$[./A-Za-z0-9]{53}");

    private static final String BCRYPT_EXAMPLE =
            "a bcrypt hash such as \"$2y$10$...\" (60 characters, made with `htpasswd -nBC 10 USER`)";

    public WebSettings {
        basicAuthUsers = Map.copyOf(basicAuthUsers);
    }

    /** Plain HTTP without authentication. */
    public WebSettings(
            String host,
            int port,
            int maxThreads,
            int maxConnections,
            long idleTimeoutMillis,
            long headerTimeoutMillis) {
        this(host, port, maxThreads, maxConnections, idleTimeoutMillis, headerTimeoutMillis, null, Map.of());
    }

    /**
     * Reads and validates the {@code web} block, reference defaults included. The TLS files are loaded once here, so
     * that a certificate that cannot be used is a problem of the file rather than a server that fails to start.
     *
     * @param baseDir the folder of the main file, against which relative TLS file paths are resolved
     * @throws InvalidSettingsException with every problem, paths relative to the block
     */
    public static WebSettings from(Config web, Path baseDir) {
        SettingsReader reader = new SettingsReader(web);
        String listen = reader.string("listen");
        String host = null;
        Integer port = null;
        if (listen != null) {
            int colon = listen.lastIndexOf(':');
            boolean bracketed = listen.startsWith("[");
            int hostEnd = bracketed ? listen.indexOf("]:") : colon;
            host = hostEnd > 0 ? listen.substring(bracketed ? 1 : 0, hostEnd) : null;
            port = hostEnd > 0 ? port(listen.substring(hostEnd + (bracketed ? 2 : 1))) : null;
            if (host != null && !bracketed && host.contains(":")) {
                reader.problem(
                        "listen",
                        "expected " + LISTEN_EXAMPLE + " (an IPv6 address goes in brackets), got '" + listen + "'");
            } else if (host == null || host.isBlank() || port == null) {
                reader.problem("listen", "expected " + LISTEN_EXAMPLE + ", got '" + listen + "'");
            }
        }
        Integer maxThreads = reader.integer("max-threads", 4, 10_000);
        Integer maxConnections = reader.integer("max-connections", 1, 1_000_000);
        Duration idleTimeout = reader.positiveDuration("idle-timeout");
        Duration headerTimeout = reader.positiveDuration("header-timeout");
        TlsSettings tls = tls(reader, baseDir);
        Map<String, String> users = basicAuthUsers(reader);
        reader.throwIfInvalid();
        return new WebSettings(
                host, port, maxThreads, maxConnections, idleTimeout.toMillis(), headerTimeout.toMillis(), tls, users);
    }

    /** The same endpoint with other security settings. */
    public WebSettings secured(TlsSettings tls, Map<String, String> basicAuthUsers) {
        return new WebSettings(
                host, port, maxThreads, maxConnections, idleTimeoutMillis, headerTimeoutMillis, tls, basicAuthUsers);
    }

    /**
     * Whether {@code other} differs only in what a running server can take over: the certificate files, client
     * authentication and the users. Everything else needs a restart.
     */
    public boolean sameListener(WebSettings other) {
        return equals(other.secured(tls, basicAuthUsers)) && (tls == null) == (other.tls == null);
    }

    /** {@code tls}, or {@code null} without a certificate (plain HTTP) or when it is invalid. */
    private static TlsSettings tls(SettingsReader reader, Path baseDir) {
        ClientAuth clientAuth = reader.oneOf("tls.client-auth", ClientAuth.class);
        Path cert = tlsFile(reader, baseDir, "cert-file");
        Path key = tlsFile(reader, baseDir, "key-file");
        Path clientCa = tlsFile(reader, baseDir, "client-ca-file");
        boolean hasCert = reader.has("tls.cert-file");
        boolean hasKey = reader.has("tls.key-file");
        if (hasCert != hasKey) {
            String present = hasCert ? "cert-file" : "key-file";
            String missing = hasCert ? "key-file" : "cert-file";
            reader.problem("tls." + present, "expected " + missing + " to be set too (a PEM file)");
            return null;
        }
        if (clientAuth == null) {
            return null;
        }
        boolean hasCa = reader.has("tls.client-ca-file");
        if (!hasCert && (hasCa || clientAuth != ClientAuth.NONE)) {
            reader.problem(
                    hasCa ? "tls.client-ca-file" : "tls.client-auth",
                    "expected cert-file and key-file to be set too: client certificates need TLS");
            return null;
        }
        if (clientAuth.verifies() && !hasCa) {
            reader.problem(
                    "tls.client-auth",
                    "expected client-ca-file to be set too: " + kebab(clientAuth)
                            + " verifies client certificates against it");
            return null;
        }
        if (hasCa && !clientAuth.verifies()) {
            reader.problem(
                    "tls.client-ca-file",
                    "expected client-auth = verify-if-given or require-and-verify with it, got '" + kebab(clientAuth)
                            + "'");
            return null;
        }
        if (cert == null || key == null || (hasCa && clientCa == null)) {
            return null;
        }
        TlsSettings tls = new TlsSettings(cert, key, clientCa, clientAuth);
        try {
            TlsMaterial.load(tls);
        } catch (TlsMaterial.Invalid e) {
            reader.problem("tls." + e.key(), e.getMessage());
            return null;
        }
        return tls;
    }

    /** A readable file under {@code tls}, relative to the main file's folder; {@code null} when unset or bad. */
    private static Path tlsFile(SettingsReader reader, Path baseDir, String key) {
        String path = "tls." + key;
        if (!reader.has(path)) {
            return null;
        }
        String text = reader.string(path);
        if (text == null) {
            return null;
        }
        Path file;
        try {
            file = baseDir.resolve(text);
        } catch (InvalidPathException e) {
            file = null;
        }
        if (text.isBlank() || file == null || !Files.isRegularFile(file) || !Files.isReadable(file)) {
            reader.problem(path, "expected a readable PEM file, '" + text + "' is missing or unreadable");
            return null;
        }
        return file;
    }

    /** {@code basic-auth-users}: user name to bcrypt hash. Hashes are never echoed: one may be a plain password. */
    private static Map<String, String> basicAuthUsers(SettingsReader reader) {
        Map<String, String> users = new TreeMap<>();
        for (Map.Entry<String, String> user :
                reader.stringMap("basic-auth-users").entrySet()) {
            String path = ConfigUtil.joinPath("basic-auth-users", user.getKey());
            Matcher hash = BCRYPT.matcher(user.getValue());
            if (user.getKey().isEmpty() || user.getKey().contains(":")) {
                reader.problem(path, "expected a user name without ':'");
            } else if (!hash.matches()) {
                reader.problem(path, "expected " + BCRYPT_EXAMPLE);
            } else if (Integer.parseInt(hash.group(1)) < 4 || Integer.parseInt(hash.group(1)) > 31) {
                reader.problem(path, "expected a bcrypt cost from 04 to 31, got " + hash.group(1));
            } else {
                users.put(user.getKey(), user.getValue());
            }
        }
        return users;
    }

    private static String kebab(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static Integer port(String text) {
        try {
            int port = Integer.parseInt(text);
            return port >= 0 && port <= 65_535 ? port : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
