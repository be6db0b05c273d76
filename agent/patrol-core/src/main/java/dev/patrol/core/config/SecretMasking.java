package dev.patrol.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a config as HOCON for the status page without its secrets: values read from environment variables show
 * as {@code <env variable>}, and the value of every key that looks secret is replaced by {@value #MASK}, whatever its
 * type. A key looks secret when its name contains {@code password}, {@code secret}, {@code token},
 * {@code passphrase} or {@code authorization}, or ends in {@code -key} (any case), so {@code password-file} is
 * masked too.
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
        ConfigObject result = object;
        for (Map.Entry<String, ConfigValue> entry : object.entrySet()) {
            ConfigValue value = entry.getValue();
            if (isSecretKey(entry.getKey())) {
                result = result.withValue(entry.getKey(), ConfigValueFactory.fromAnyRef(MASK, "masked secret"));
            } else {
                ConfigValue masked = mask(value);
                if (masked != value) {
                    result = result.withValue(entry.getKey(), masked);
                }
            }
        }
        return result;
    }

    /** Returns the value itself when nothing inside needed masking, so that untouched values keep their origin. */
    private static ConfigValue mask(ConfigValue value) {
        if (value instanceof ConfigObject object) {
            return mask(object);
        }
        if (value instanceof ConfigList list) {
            List<ConfigValue> items = new ArrayList<>();
            boolean changed = false;
            for (ConfigValue item : list) {
                ConfigValue masked = mask(item);
                changed |= masked != item;
                items.add(masked);
            }
            return changed
                    ? ConfigValueFactory.fromIterable(items, list.origin().description())
                    : value;
        }
        return value;
    }
}
