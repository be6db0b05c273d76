package dev.patrol.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.patrol.api.SettingsReader;
import dev.patrol.core.logging.LogLevel;
import dev.patrol.core.logging.LoggingSettings;
import dev.patrol.core.tls.TlsMaterial;
import dev.patrol.core.tls.TlsSettings;
import dev.patrol.core.tls.TlsSettings.ClientAuth;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Reads the agent's own blocks: {@code patrol.web}, {@code patrol.logging}, {@code patrol.limits} and directories. */
final class CoreSettingsParser {
    private static final String LISTEN_EXAMPLE = "host:port such as 127.0.0.1:9740 or [::1]:9740";
    /** bcrypt in modular crypt format, as {@code htpasswd -nBC 10 USER} writes it after the colon. */
    private static final Pattern BCRYPT = Pattern.compile("\\$2[abxy]?\\$(\\d{2})\\$[./A-Za-z0-9]{53}");

    private static final String BCRYPT_EXAMPLE =
            "a bcrypt hash such as \"$2y$10$...\" (60 characters, made with" + " `htpasswd -nBC 10 USER`)";

    private final SettingsReader reader;
    private final Path baseDir;

    /**
     * @param patrol the resolved {@code patrol} block, reference defaults included
     * @param baseDir the folder of the main file, against which relative directories are resolved
     */
    CoreSettingsParser(Config patrol, Path baseDir) {
        this.reader = new SettingsReader(patrol);
        this.baseDir = baseDir;
    }

    WebSettings web() {
        String listen = reader.string("web.listen");
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
                        "web.listen",
                        "expected " + LISTEN_EXAMPLE + " (an IPv6 address goes in brackets), got '" + listen + "'");
                host = null;
            } else if (host == null || host.isBlank() || port == null) {
                reader.problem("web.listen", "expected " + LISTEN_EXAMPLE + ", got '" + listen + "'");
                host = null;
            }
        }
        Integer maxThreads = reader.integer("web.max-threads", 4, 10_000);
        Integer maxConnections = reader.integer("web.max-connections", 1, 1_000_000);
        Duration idleTimeout = reader.positiveDuration("web.idle-timeout");
        Duration headerTimeout = reader.positiveDuration("web.header-timeout");
        int problemsBefore = reader.problems().size();
        TlsSettings tls = tls();
        Map<String, String> users = basicAuthUsers();
        if (reader.problems().size() > problemsBefore
                || host == null
                || maxThreads == null
                || maxConnections == null
                || idleTimeout == null
                || headerTimeout == null) {
            return null;
        }
        return new WebSettings(
                host, port, maxThreads, maxConnections, idleTimeout.toMillis(), headerTimeout.toMillis(), tls, users);
    }

    /** {@code web.tls}, or {@code null} without a certificate (plain HTTP) or when it is invalid. */
    private TlsSettings tls() {
        ClientAuth clientAuth = reader.oneOf("web.tls.client-auth", ClientAuth.class);
        Path cert = tlsFile("cert-file");
        Path key = tlsFile("key-file");
        Path clientCa = tlsFile("client-ca-file");
        boolean hasCert = reader.has("web.tls.cert-file");
        boolean hasKey = reader.has("web.tls.key-file");
        if (hasCert != hasKey) {
            String present = hasCert ? "cert-file" : "key-file";
            String missing = hasCert ? "key-file" : "cert-file";
            reader.problem("web.tls." + present, "expected " + missing + " to be set too (a PEM file)");
            return null;
        }
        if (clientAuth == null) {
            return null;
        }
        boolean hasCa = reader.has("web.tls.client-ca-file");
        if (!hasCert && (hasCa || clientAuth != ClientAuth.NONE)) {
            reader.problem(
                    hasCa ? "web.tls.client-ca-file" : "web.tls.client-auth",
                    "expected cert-file and key-file to be set too: client certificates need TLS");
            return null;
        }
        if (clientAuth.verifies() && !hasCa) {
            reader.problem(
                    "web.tls.client-auth",
                    "expected client-ca-file to be set too: " + kebab(clientAuth)
                            + " verifies client certificates against it");
            return null;
        }
        if (hasCa && !clientAuth.verifies()) {
            reader.problem(
                    "web.tls.client-ca-file",
                    "expected client-auth = verify-if-given or require-and-verify" + " with it, got '"
                            + kebab(clientAuth) + "'");
            return null;
        }
        if (cert == null || key == null || (hasCa && clientCa == null)) {
            return null;
        }
        TlsSettings tls = new TlsSettings(cert, key, clientCa, clientAuth);
        try {
            TlsMaterial.load(tls);
        } catch (TlsMaterial.Invalid e) {
            reader.problem("web.tls." + e.key(), e.getMessage());
            return null;
        }
        return tls;
    }

    /** A readable file under {@code web.tls}, relative to the main file's folder; {@code null} when unset or bad. */
    private Path tlsFile(String key) {
        String path = "web.tls." + key;
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

    /** {@code web.basic-auth-users}: user name to bcrypt hash. Hashes are never echoed: one may be a plain password. */
    private Map<String, String> basicAuthUsers() {
        Map<String, String> users = new TreeMap<>();
        for (Map.Entry<String, String> user :
                reader.stringMap("web.basic-auth-users").entrySet()) {
            String path = ConfigUtil.joinPath("web", "basic-auth-users", user.getKey());
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

    LoggingSettings logging() {
        LogLevel level = reader.oneOf("logging.level", LogLevel.class);
        Duration repeatInterval = reader.duration("logging.repeat-interval");
        Map<String, LogLevel> loggers = new TreeMap<>();
        if (reader.block("logging.loggers") != null) {
            loggerLevels(List.of("logging", "loggers"), reader.config().getObject("logging.loggers"), loggers);
        }
        if (level == null || repeatInterval == null) {
            return null;
        }
        return new LoggingSettings(level, loggers, repeatInterval);
    }

    /** Flattens the block, so that an unquoted {@code dev.patrol.core = debug} means the logger it looks like. */
    private void loggerLevels(List<String> at, ConfigObject block, Map<String, LogLevel> into) {
        for (Map.Entry<String, ConfigValue> entry : block.entrySet()) {
            List<String> elements = new ArrayList<>(at);
            elements.add(entry.getKey());
            ConfigValue value = entry.getValue();
            if (value instanceof ConfigObject nested) {
                loggerLevels(elements, nested, into);
                continue;
            }
            String path = ConfigUtil.joinPath(elements);
            LogLevel parsed = value.valueType() == ConfigValueType.STRING ? reader.oneOf(path, LogLevel.class) : null;
            if (value.valueType() != ConfigValueType.STRING) {
                reader.problem(path, "expected one of " + levelNames() + " for this logger");
            } else if (parsed != null) {
                into.put(String.join(".", elements.subList(2, elements.size())), parsed);
            }
        }
    }

    private static String levelNames() {
        return Arrays.stream(LogLevel.values())
                .map(level -> level.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
    }

    private static String kebab(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    LimitsSettings limits() {
        Integer maxInFlight = reader.integer("limits.max-in-flight", 1, 1_000_000);
        Integer perHost = reader.integer("limits.max-in-flight-per-host", 1, 1_000_000);
        Integer perCheck = reader.integer("limits.max-in-flight-per-check", 1, 1_000_000);
        Integer blockingThreads = reader.integer("limits.blocking-threads", 1, 1_024);
        Integer handshakes = reader.integer("limits.max-ssh-handshakes", 1, 10_000);
        if (maxInFlight == null
                || perHost == null
                || perCheck == null
                || blockingThreads == null
                || handshakes == null) {
            return null;
        }
        return new LimitsSettings(maxInFlight, perHost, perCheck, blockingThreads, handshakes);
    }

    /** {@code patrol.allow-fast-checks}: whether a check may run more often than once a second. */
    boolean allowFastChecks() {
        return Boolean.TRUE.equals(reader.bool("allow-fast-checks"));
    }

    /** A directory key; a relative path is taken relative to the main file's folder. */
    Path directory(String key) {
        String text = reader.string(key);
        if (text == null) {
            return null;
        }
        try {
            if (text.isBlank()) {
                throw new InvalidPathException(text, "empty");
            }
            return baseDir.resolve(text);
        } catch (InvalidPathException e) {
            reader.problem(key, "expected a directory path, got '" + text + "'");
            return null;
        }
    }

    /** Everything found wrong so far, with paths under {@code patrol}. */
    void reportTo(Problems problems, ConfigOrigin where) {
        problems.addUnder("patrol", reader.problems(), where);
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
