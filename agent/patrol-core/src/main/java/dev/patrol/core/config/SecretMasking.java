package dev.patrol.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import dev.patrol.api.UrlRedaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Renders a config as HOCON for the status page without its secrets: values read from environment variables show
 * as {@code <env variable>}, and the value of every key that looks secret is replaced by {@value #MASK}, whatever its
 * type. A key looks secret when its name contains {@code password}, {@code secret}, {@code token},
 * {@code passphrase} or {@code authorization}, or ends in {@code -key} (any case), so {@code password-file} is
 * masked too.
 *
 * <p>Key names alone miss secrets written as data, so two kinds of value are masked whatever their key: every value
 * in a {@code headers} block ({@code Cookie}, {@code X-Api-Key}, ...) unless its header is listed in the block's
 * {@code safe-headers}, and every query value of a URL ({@code ?token=abc} shows as {@code ?token=******}, and a
 * {@code user:password@} part loses its password) unless its parameter is listed in the block's
 * {@code safe-query-params}.
 *
 * <pre>{@code
 * String text = SecretMasking.render(settings.config().withOnlyPath("patrol"));
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class SecretMasking {
    public static final String MASK = "******";

    private static final List<String> SECRET_WORDS =
            // basic-auth-users holds bcrypt hashes: not reversible, but offline guessing is cheap for weak passwords.
            List.of("password", "secret", "token", "passphrase", "authorization", "basic-auth-users");
    private static final ConfigRenderOptions OPTIONS = ConfigRenderOptions.defaults()
            .setJson(false)
            .setComments(false)
            .setOriginComments(false)
            .setFormatted(true)
            .setShowEnvVariableValues(false);

    private SecretMasking() {}

    public static String render(Config config) {
        return mask(config).root().render(OPTIONS);
    }

    /** The same config with the value of every secret-looking key replaced by {@value #MASK}. */
    public static Config mask(Config config) {
        return mask(config.root()).toConfig();
    }

    public static boolean isSecretKey(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        return lower.endsWith("-key") || SECRET_WORDS.stream().anyMatch(lower::contains);
    }

    private static ConfigObject mask(ConfigObject object) {
        Set<String> safeHeaders = names(object, "safe-headers", String.CASE_INSENSITIVE_ORDER);
        Set<String> safeParams = names(object, "safe-query-params", null);
        ConfigObject result = object;
        for (Map.Entry<String, ConfigValue> entry : object.entrySet()) {
            String key = entry.getKey();
            ConfigValue value = entry.getValue();
            ConfigValue masked;
            if (isSecretKey(key)) {
                masked = hidden();
            } else if (key.equals("headers")) {
                masked = maskHeaders(value, safeHeaders);
            } else {
                masked = mask(value, safeParams);
            }
            if (masked != value) {
                result = result.withValue(key, masked);
            }
        }
        return result;
    }

    /** Every header value is hidden but those of the headers named safe. */
    private static ConfigValue maskHeaders(ConfigValue value, Set<String> safe) {
        if (value instanceof ConfigObject headers) {
            ConfigObject result = headers;
            for (Map.Entry<String, ConfigValue> header : headers.entrySet()) {
                if (!safe.contains(header.getKey())) {
                    result = result.withValue(header.getKey(), hidden());
                }
            }
            return result;
        }
        if (value instanceof ConfigList list) {
            List<ConfigValue> items = new ArrayList<>();
            list.forEach(item -> items.add(maskHeaders(item, safe)));
            return ConfigValueFactory.fromIterable(items, list.origin().description());
        }
        return hidden();
    }

    private static Set<String> names(ConfigObject object, String key, java.util.Comparator<String> order) {
        Set<String> names = order == null ? new TreeSet<>() : new TreeSet<>(order);
        if (object.get(key) instanceof ConfigList list) {
            for (ConfigValue item : list) {
                if (item.valueType() == ConfigValueType.STRING) {
                    names.add((String) item.unwrapped());
                }
            }
        }
        return names;
    }

    private static ConfigValue hidden() {
        return ConfigValueFactory.fromAnyRef(MASK, "masked secret");
    }

    /** Returns the value itself when nothing inside needed masking, so that untouched values keep their origin. */
    private static ConfigValue mask(ConfigValue value, Set<String> safeParams) {
        if (value instanceof ConfigObject object) {
            return mask(object);
        }
        if (value instanceof ConfigList list) {
            List<ConfigValue> items = new ArrayList<>();
            boolean changed = false;
            for (ConfigValue item : list) {
                ConfigValue masked = mask(item, safeParams);
                changed |= masked != item;
                items.add(masked);
            }
            return changed
                    ? ConfigValueFactory.fromIterable(items, list.origin().description())
                    : value;
        }
        if (value.valueType() == ConfigValueType.STRING) {
            String text = (String) value.unwrapped();
            String redacted = UrlRedaction.redact(text, safeParams);
            if (!redacted.equals(text)) {
                return ConfigValueFactory.fromAnyRef(redacted, "URL with masked secrets");
            }
        }
        return value;
    }
}
