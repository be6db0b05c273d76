package dev.patrol.plugin.http;

import dev.patrol.api.Target;
import dev.patrol.api.UrlRedaction;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A check's {@code url}: fixed, or a template filled in per target from {@code {host}}, {@code {port}},
 * {@code {target}} and {@code {label.NAME}}. Immutable and thread-safe.
 *
 * <pre>{@code
 * UrlTemplate.parse("http://{host}:{port}/health", problems).render(target)   // http://10.0.0.11:8080/health
 * }</pre>
 */
final class UrlTemplate {
    private static final String LABEL = "label.";

    /** A literal run of text or one placeholder; exactly one of the two is set. */
    private record Part(String literal, String placeholder) {}

    private final String text;
    private final List<Part> parts;
    private final URI fixed;

    private UrlTemplate(String text, List<Part> parts, URI fixed) {
        this.text = text;
        this.parts = parts;
        this.fixed = fixed;
    }

    /** Parses {@code text}, adding a phrase per problem to {@code problems}; returns {@code null} when invalid. */
    static UrlTemplate parse(String text, List<String> problems) {
        List<Part> parts = new ArrayList<>();
        int position = 0;
        while (position < text.length()) {
            int open = text.indexOf('{', position);
            if (open < 0) {
                parts.add(new Part(text.substring(position), null));
                break;
            }
            int close = text.indexOf('}', open);
            if (close < 0) {
                problems.add("expected a closing } after '{' at index " + open);
                return null;
            }
            if (open > position) {
                parts.add(new Part(text.substring(position, open), null));
            }
            String name = text.substring(open + 1, close);
            boolean known = name.equals("host")
                    || name.equals("port")
                    || name.equals("target")
                    || (name.startsWith(LABEL) && name.length() > LABEL.length());
            if (!known) {
                problems.add("expected placeholders {host}, {port}, {target} or {label.NAME}, got '{" + name + "}'");
                return null;
            }
            parts.add(new Part(null, name));
            position = close + 1;
        }
        boolean templated = parts.stream().anyMatch(part -> part.placeholder() != null);
        // A template is checked with stand-in values, so that a broken one fails at startup, not per run.
        String probe = templated ? render(parts, "example.com", 8080, "target", Map.of(), true) : text;
        URI uri;
        try {
            uri = new URI(probe);
        } catch (URISyntaxException e) {
            problems.add("expected an http:// or https:// URL: " + e.getMessage());
            return null;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            problems.add("expected an http:// or https:// URL, got '" + text + "'");
            return null;
        }
        if (uri.getHost() == null) {
            problems.add("expected a URL with a host name, got '" + text + "'");
            return null;
        }
        if (uri.getRawUserInfo() != null) {
            problems.add("expected no user name or password in the URL; use basic-auth with password-file");
            return null;
        }
        return new UrlTemplate(text, List.copyOf(parts), templated ? null : uri);
    }

    boolean isFixed() {
        return fixed != null;
    }

    /** The URL of a fixed template. */
    URI fixed() {
        if (fixed == null) {
            throw new IllegalStateException("'" + text + "' is a per-target template");
        }
        return fixed;
    }

    /**
     * The URL for {@code target}.
     *
     * @throws IllegalArgumentException when the target lacks a label the template names or the result is no URL
     */
    URI render(Target target) {
        if (fixed != null) {
            return fixed;
        }
        String url = render(parts, target.host(), target.port(), target.name(), target.labels(), false);
        try {
            return new URI(url);
        } catch (URISyntaxException e) {
            // The JDK's message quotes the whole URL, query and all: keep only the reason.
            throw new IllegalArgumentException(
                    "not a URL for target " + target.name() + ": " + e.getReason() + " in " + UrlRedaction.redact(url));
        }
    }

    private static String render(
            List<Part> parts, String host, int port, String name, Map<String, String> labels, boolean stand) {
        StringBuilder url = new StringBuilder(64);
        for (Part part : parts) {
            String placeholder = part.placeholder();
            if (placeholder == null) {
                url.append(part.literal());
            } else if (placeholder.equals("host")) {
                // An IPv6 literal needs brackets in a URL.
                boolean ipv6 = host.indexOf(':') >= 0 && !host.startsWith("[");
                url.append(ipv6 ? "[" + host + "]" : host);
            } else if (placeholder.equals("port")) {
                url.append(port);
            } else if (placeholder.equals("target")) {
                url.append(name);
            } else {
                String label = placeholder.substring(LABEL.length());
                String value = stand ? "label" : labels.get(label);
                if (value == null) {
                    throw new IllegalArgumentException("target has no label '" + label + "' for the URL template");
                }
                url.append(value);
            }
        }
        return url.toString();
    }

    /** The template with its query values and any password masked: this is what logs and summaries may show. */
    @Override
    public String toString() {
        return UrlRedaction.redact(text);
    }
}
