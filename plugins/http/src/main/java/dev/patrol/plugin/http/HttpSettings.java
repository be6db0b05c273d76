package dev.patrol.plugin.http;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.patrol.api.Secret;
import dev.patrol.api.SettingsReader;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Everything an http check block says, read and validated eagerly; see this plugin's {@code reference.conf} for each
 * key. Secrets are held as {@link Secret}, so this record's {@code toString()} shows none.
 *
 * @param authorization the whole {@code Authorization} header value from basic-auth or bearer-token, or {@code null}
 * @param connectTimeout {@code connect-timeout}, or the smaller of the check's timeout and 5 s
 */
public record HttpSettings(
        UrlTemplate url,
        String method,
        Map<String, String> headers,
        String body,
        Secret authorization,
        StatusExpectation expectStatus,
        List<Pattern> bodyMatches,
        List<Pattern> bodyNotMatches,
        JsonSamples samples,
        Redirects redirects,
        HttpVersion httpVersion,
        TlsSettings tls,
        long maxResponseSize,
        TooLarge responseTooLarge,
        Duration connectTimeout) {

    /** {@code redirects}: follow 3xx responses, or report them as they are. */
    public enum Redirects {
        FOLLOW,
        NONE
    }

    /** {@code http-version}. */
    public enum HttpVersion {
        HTTP1_1,
        HTTP2
    }

    /** {@code response-too-large}: what a body over {@code max-response-size} does to the result. */
    public enum TooLarge {
        CRITICAL,
        TRUNCATE
    }

    /** Header values and query values may be secrets: this shows header names only and a redacted URL. */
    @Override
    public String toString() {
        return "HttpSettings[url=" + url + ", method=" + method + ", headers=" + headers.keySet() + ", body="
                + (body == null ? "none" : body.length() + " chars") + ", authorization=" + authorization
                + ", expectStatus=" + expectStatus + ", redirects=" + redirects + ", httpVersion=" + httpVersion
                + ", maxResponseSize=" + maxResponseSize + ", responseTooLarge=" + responseTooLarge + "]";
    }

    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Large enough for any health document, small enough to keep in one array. */
    static final long MAX_RESPONSE_SIZE_LIMIT = 1L << 30;

    private static final Pattern METHOD = Pattern.compile("[A-Z]+");

    /** Reads and validates a check block that has this plugin's defaults as fallback. */
    public static HttpSettings from(Config config) {
        SettingsReader reader = new SettingsReader(config);
        UrlTemplate url = url(reader);
        String method = reader.string("method");
        if (method != null && !METHOD.matcher(method).matches()) {
            reader.problem("method", "expected an upper-case HTTP method such as GET or POST, got '" + method + "'");
        }
        Map<String, String> headers = headers(reader);
        // Read only to be validated: the status page shows these headers' values and these query values unmasked.
        reader.stringList("safe-headers");
        reader.stringList("safe-query-params");
        String body = reader.optionalString("body").orElse(null);
        Secret authorization = authorization(reader);
        StatusExpectation status = status(reader);
        List<Pattern> bodyMatches = regexes(reader, "expect.body-matches");
        List<Pattern> bodyNotMatches = regexes(reader, "expect.body-not-matches");
        JsonSamples samples = samples(reader);
        Redirects redirects = reader.oneOf("redirects", Redirects.class);
        HttpVersion version = httpVersion(reader);
        TlsSettings tls = TlsSettings.from(reader);
        Long maxSize = reader.bytes("max-response-size");
        if (maxSize != null && (maxSize < 1 || maxSize > MAX_RESPONSE_SIZE_LIMIT)) {
            reader.problem("max-response-size", "expected a size from 1B to 1GiB, got " + maxSize + " bytes");
        }
        TooLarge tooLarge = reader.oneOf("response-too-large", TooLarge.class);
        Duration connectTimeout = reader.has("connect-timeout")
                ? reader.positiveDuration("connect-timeout")
                : defaultConnectTimeout(config);
        reader.throwIfInvalid();
        return new HttpSettings(
                url,
                method,
                headers,
                body,
                authorization,
                status,
                bodyMatches,
                bodyNotMatches,
                samples,
                redirects,
                version,
                tls,
                maxSize,
                tooLarge,
                connectTimeout);
    }

    private static UrlTemplate url(SettingsReader reader) {
        String text = reader.string("url");
        if (text == null) {
            return null;
        }
        List<String> problems = new ArrayList<>();
        UrlTemplate url = UrlTemplate.parse(text, problems);
        problems.forEach(problem -> reader.problem("url", problem));
        return url;
    }

    private static Map<String, String> headers(SettingsReader reader) {
        Map<String, String> headers = reader.stringMap("headers");
        for (Map.Entry<String, String> header : headers.entrySet()) {
            try {
                // The JDK refuses some headers (Host, Connection, Content-Length, ...): find out now, not per run.
                HttpRequest.newBuilder().header(header.getKey(), header.getValue());
            } catch (IllegalArgumentException e) {
                String key = header.getKey();
                String path = "headers." + (key.matches("[A-Za-z0-9_-]+") ? key : '"' + key + '"');
                reader.problem(path, "expected a header the client may set: " + e.getMessage());
            }
        }
        return Map.copyOf(headers);
    }

    private static Secret authorization(SettingsReader reader) {
        Secret basic = null;
        if (reader.has("basic-auth.username")) {
            String username = reader.string("basic-auth.username");
            Secret password = reader.secret("basic-auth.password");
            if (!reader.has("basic-auth.password") && !reader.has("basic-auth.password-file")) {
                reader.problem("basic-auth.password", "is required: set password = ${?ENV_VAR} or password-file");
            }
            if (username != null && password != null) {
                String pair = username + ":" + password.reveal();
                basic = new Secret(
                        "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
            }
        } else if (reader.has("basic-auth.password") || reader.has("basic-auth.password-file")) {
            reader.problem("basic-auth.username", "is required when basic-auth has a password");
        }
        Secret token = reader.secret("bearer-token");
        if (token != null && reader.has("basic-auth.username")) {
            reader.problem("bearer-token", "expected either basic-auth or bearer-token, not both");
        }
        return token != null ? new Secret("Bearer " + token.reveal()) : basic;
    }

    private static StatusExpectation status(SettingsReader reader) {
        String path = "expect.status";
        List<String> entries;
        ConfigValueType type = reader.has(path) ? reader.config().getValue(path).valueType() : null;
        if (type == ConfigValueType.NUMBER || type == ConfigValueType.STRING) {
            entries = List.of(reader.string(path));
        } else {
            entries = reader.stringList(path);
        }
        List<String> problems = new ArrayList<>();
        StatusExpectation status = entries == null ? null : StatusExpectation.parse(entries, problems);
        problems.forEach(problem -> reader.problem(path, problem));
        return status;
    }

    private static List<Pattern> regexes(SettingsReader reader, String path) {
        List<String> texts = reader.stringList(path);
        List<Pattern> patterns = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            try {
                patterns.add(Pattern.compile(texts.get(i), Pattern.MULTILINE));
            } catch (PatternSyntaxException e) {
                reader.problem(
                        path,
                        "expected regular expressions, entry " + (i + 1) + " is not: " + e.getDescription()
                                + " at index " + e.getIndex());
            }
        }
        return List.copyOf(patterns);
    }

    private static JsonSamples samples(SettingsReader reader) {
        Config block = reader.block("samples");
        if (block == null) {
            return JsonSamples.NONE;
        }
        Map<String, String> entries = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigValue> entry :
                reader.config().getObject("samples").entrySet()) {
            if (entry.getValue().valueType() == ConfigValueType.STRING) {
                entries.put(entry.getKey(), (String) entry.getValue().unwrapped());
            } else {
                reader.problem("samples." + entry.getKey(), "expected a JSON path string such as \"$.queue.depth\"");
            }
        }
        Map<String, String> problems = new LinkedHashMap<>();
        JsonSamples samples = JsonSamples.parse(entries, problems);
        problems.forEach((name, problem) -> reader.problem("samples." + name, problem));
        return samples;
    }

    private static HttpVersion httpVersion(SettingsReader reader) {
        String text = reader.string("http-version");
        if (text == null) {
            return null;
        }
        return switch (text.trim()) {
            case "http1.1" -> HttpVersion.HTTP1_1;
            case "http2" -> HttpVersion.HTTP2;
            default -> {
                reader.problem("http-version", "expected one of http1.1, http2, got '" + text + "'");
                yield null;
            }
        };
    }

    private static Duration defaultConnectTimeout(Config config) {
        try {
            // The check's own timeout is validated by the agent; here it only bounds the default.
            if (config.hasPath("timeout")) {
                Duration timeout = config.getDuration("timeout");
                if (!timeout.isNegative() && !timeout.isZero() && timeout.compareTo(DEFAULT_CONNECT_TIMEOUT) < 0) {
                    return timeout;
                }
            }
        } catch (ConfigException e) {
            // Reported by the agent's check-block validation.
        }
        return DEFAULT_CONNECT_TIMEOUT;
    }

    /** Whether any expectation or sample needs the body's bytes rather than just its size. */
    boolean readsBody() {
        return !bodyMatches.isEmpty() || !bodyNotMatches.isEmpty() || !samples.isEmpty();
    }
}
