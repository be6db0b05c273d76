package dev.patrol.api;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Reads typed values from one config block and collects every problem instead of stopping at the first, so that a
 * user sees all mistakes in one run of {@code patrol check-config}. Getters return {@code null} (or an empty value)
 * for a key they could not read; call {@link #throwIfInvalid()} once everything is read.
 *
 * <pre>{@code
 * var reader = new SettingsReader(block);
 * URI url = reader.uri("url");
 * Duration timeout = reader.duration("timeout");
 * reader.throwIfInvalid();
 * }</pre>
 *
 * <p>Not thread-safe; use one reader per block and parse.
 */
public final class SettingsReader {
    private final Config config;
    private final List<SettingsProblem> problems = new ArrayList<>();

    public SettingsReader(Config config) {
        this.config = config;
    }

    public Config config() {
        return config;
    }

    public boolean has(String path) {
        return config.hasPath(path);
    }

    /** A required string; numbers and booleans are accepted in their text form, as HOCON does. */
    public String string(String path) {
        return read(path, "a string", () -> config.getString(path));
    }

    public Optional<String> optionalString(String path) {
        return has(path) ? Optional.ofNullable(string(path)) : Optional.empty();
    }

    public Integer integer(String path, int min, int max) {
        Integer value = read(path, "an integer", () -> config.getInt(path));
        if (value != null && (value < min || value > max)) {
            problem(path, "expected an integer from " + min + " to " + max + ", got " + value);
            return null;
        }
        return value;
    }

    public Boolean bool(String path) {
        return read(path, "true or false", () -> config.getBoolean(path));
    }

    public Double number(String path) {
        return read(path, "a number", () -> config.getDouble(path));
    }

    /**
     * The longest duration any key takes. Longer ones are typos (a unit too many, a zero too many); past about 292
     * years HOCON's nanosecond arithmetic would silently clamp them.
     */
    public static final Duration MAX_DURATION = Duration.ofDays(365);

    /** A HOCON duration such as {@code 10s} or {@code 500ms}; not negative and at most {@link #MAX_DURATION}. */
    public Duration duration(String path) {
        Duration value = read(path, "a duration such as 10s or 500ms", () -> config.getDuration(path));
        if (value != null && value.isNegative()) {
            problem(path, "expected a duration that is not negative, got " + quoted(path));
            return null;
        }
        if (value != null && value.compareTo(MAX_DURATION) > 0) {
            problem(path, "expected a duration of at most 365d, got " + quoted(path));
            return null;
        }
        return value;
    }

    /** A duration that must be greater than zero. */
    public Duration positiveDuration(String path) {
        Duration value = duration(path);
        if (value != null && value.isZero()) {
            problem(path, "expected a duration greater than zero, got " + quoted(path));
            return null;
        }
        return value;
    }

    /** A HOCON size such as {@code 10MiB}, in bytes. */
    public Long bytes(String path) {
        Long value = read(path, "a size such as 10MiB or 512KiB", () -> config.getBytes(path));
        if (value != null && value < 0) {
            problem(path, "expected a size that is not negative, got " + quoted(path));
            return null;
        }
        return value;
    }

    /** A list of strings; a single string is taken as a list of one, which is what users write for one value. */
    public List<String> stringList(String path) {
        if (!has(path)) {
            return read(path, "a list of strings", () -> config.getStringList(path));
        }
        if (config.getValue(path).valueType() == ConfigValueType.STRING) {
            return List.of(config.getString(path));
        }
        List<String> value = read(path, "a list of strings", () -> config.getStringList(path));
        return value == null ? List.of() : value;
    }

    /** A block of string values, e.g. {@code headers { Accept = "application/json" }}; keys keep their order. */
    public Map<String, String> stringMap(String path) {
        Config block = read(path, "a block of key = \"value\" pairs", () -> config.getConfig(path));
        if (block == null) {
            return Map.of();
        }
        Map<String, String> result = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigValue> entry : config.getObject(path).entrySet()) {
            ConfigValue value = entry.getValue();
            if (value.valueType() == ConfigValueType.OBJECT || value.valueType() == ConfigValueType.LIST) {
                problems.add(new SettingsProblem(
                        value.origin(), path + "." + quoteKey(entry.getKey()), "expected a string value"));
            } else {
                result.put(entry.getKey(), String.valueOf(value.unwrapped()));
            }
        }
        return result;
    }

    public Config block(String path) {
        return read(path, "a block { ... }", () -> config.getConfig(path));
    }

    /** One of the enum's constants, written in kebab-case: {@code follow} for {@code FOLLOW}. */
    public <E extends Enum<E>> E oneOf(String path, Class<E> type) {
        String text = string(path);
        if (text == null) {
            return null;
        }
        String constant = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E value : type.getEnumConstants()) {
            if (value.name().equals(constant)) {
                return value;
            }
        }
        String allowed = Arrays.stream(type.getEnumConstants())
                .map(value -> value.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                .collect(Collectors.joining(", "));
        problem(path, "expected one of " + allowed + ", got '" + text + "'");
        return null;
    }

    /** A path to a file that exists and is readable. */
    public Path readableFile(String path) {
        String text = string(path);
        if (text == null) {
            return null;
        }
        Path file = Path.of(text);
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            problem(path, "expected a readable file, '" + text + "' is missing or unreadable");
            return null;
        }
        return file;
    }

    /**
     * A secret written as {@code <path>-file = "/etc/patrol/token"} (the file's content, trailing newline removed) or
     * as {@code <path> = ${?ENV_VAR}}. Returns {@code null} when neither is set. A file its group or others can
     * access is a problem, as for an SSH private key.
     */
    public Secret secret(String path) {
        String filePath = path + "-file";
        if (has(filePath)) {
            Path file = readableFile(filePath);
            if (file == null) {
                return null;
            }
            Optional<String> exposed = SecretFiles.exposure(file);
            if (exposed.isPresent()) {
                problem(filePath, exposed.get());
                return null;
            }
            try {
                return new Secret(Files.readString(file, StandardCharsets.UTF_8).strip());
            } catch (IOException e) {
                problem(filePath, "expected a readable file: " + e.getMessage());
                return null;
            }
        }
        if (has(path)) {
            String value = string(path);
            return value == null ? null : new Secret(value);
        }
        return null;
    }

    /** Records a problem found by the plugin's own validation, at the value's origin when it has one. */
    public void problem(String path, String expected) {
        problems.add(new SettingsProblem(originOf(path), path, expected));
    }

    public void addAll(List<SettingsProblem> more) {
        problems.addAll(more);
    }

    public List<SettingsProblem> problems() {
        return List.copyOf(problems);
    }

    public boolean isValid() {
        return problems.isEmpty();
    }

    public void throwIfInvalid() {
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
    }

    /** Where {@code path} was written, or its nearest enclosing block. */
    public ConfigOrigin originOf(String path) {
        try {
            if (config.hasPathOrNull(path)) {
                return config.getValue(path).origin();
            }
        } catch (ConfigException e) {
            // Not a usable path (bad syntax or a null value): fall back to the block.
        }
        return config.origin();
    }

    private <T> T read(String path, String expected, Supplier<T> getter) {
        try {
            return getter.get();
        } catch (ConfigException.Missing e) {
            problems.add(new SettingsProblem(config.origin(), path, "is required: expected " + expected));
        } catch (ConfigException e) {
            problems.add(new SettingsProblem(originOf(path), path, "expected " + expected + ", got " + quoted(path)));
        }
        return null;
    }

    private String quoted(String path) {
        try {
            ConfigValue value = config.getValue(path);
            return switch (value.valueType()) {
                case OBJECT -> "a block";
                case LIST -> "a list";
                case NULL -> "null";
                default -> "'" + value.unwrapped() + "'";
            };
        } catch (ConfigException e) {
            return "nothing";
        }
    }

    private static String quoteKey(String key) {
        return key.matches("[A-Za-z0-9_-]+") ? key : '"' + key + '"';
    }
}
