package dev.patrol.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import dev.patrol.api.SettingsProblem;
import dev.patrol.api.SettingsReader;
import dev.patrol.api.Target;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.quartz.CronExpression;

/**
 * Reads the keys every check has whatever its type ({@link dev.patrol.api.CommonCheckKeys#NAMES}): schedule, deadline,
 * retries, state and labels. Problems go straight to the load's {@link Problems}, under the check's path.
 */
final class CommonCheckKeys {
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    /** Labels Patrol sets on check series itself; a static or exposed label of the same name would clash. */
    static final Set<String> RESERVED_LABELS = Set.of("check", "target", "reason", "result");
    /** Labels Prometheus sets on every series it scrapes; a label of the same name would be renamed exported_*. */
    static final Set<String> PROMETHEUS_LABELS = Set.of("job", "instance");

    /** Why a label named {@code job} or {@code instance} is refused. */
    static String prometheusLabelProblem(String name) {
        return "expected a label name other than job and instance, which Prometheus sets on every series it"
                + " scrapes (this one would land as exported_" + name + "), got '" + name + "'";
    }

    /** The shortest interval, unless {@code patrol.allow-fast-checks} is set. */
    static final Duration MIN_INTERVAL = Duration.ofSeconds(1);

    private final String path;
    private final Config block;
    private final ConfigOrigin where;
    private List<SettingsProblem> problems = List.of();
    private boolean targetsValid = true;
    private Duration interval;
    private String cron;
    private Duration timeout;
    private Integer retries;
    private Duration retryInterval;
    private Map<String, String> labels = Map.of();
    private List<String> exposeLabels = List.of();
    private StateSettings state = StateSettings.DEFAULT;

    private CommonCheckKeys(String path, Config block, ConfigOrigin where) {
        this.path = path;
        this.block = block;
        this.where = where;
    }

    /**
     * @param block the check over its plugin's defaults and {@code patrol.defaults}
     * @param check the block as the user wrote it, to tell a key set there from an inherited default
     * @param allowFastChecks whether the interval may be under {@link #MIN_INTERVAL}
     */
    static CommonCheckKeys read(
            Config block, ConfigObject check, String path, ConfigOrigin where, boolean allowFastChecks) {
        CommonCheckKeys keys = new CommonCheckKeys(path, block, where);
        SettingsReader reader = new SettingsReader(block);
        keys.interval = reader.positiveDuration("interval");
        if (keys.interval != null && !allowFastChecks && keys.interval.compareTo(MIN_INTERVAL) < 0) {
            reader.problem(
                    "interval",
                    "expected an interval of at least 1s (set patrol.allow-fast-checks = true to allow faster"
                            + " checks), got '" + block.getValue("interval").unwrapped() + "'");
            keys.interval = null;
        }
        keys.timeout = reader.positiveDuration("timeout");
        keys.retries = reader.integer("retries", 0, 10);
        keys.retryInterval = reader.duration("retry-interval");
        if (reader.has("cron")) {
            keys.cron = reader.string("cron");
            if (keys.cron != null && !CronExpression.isValidExpression(keys.cron)) {
                reader.problem(
                        "cron",
                        "expected a Quartz cron expression such as \"0 0/5 * * * ?\" (seconds first)," + " got '"
                                + keys.cron + "'");
            } else if (check.containsKey("interval") && check.containsKey("cron")) {
                reader.problem("cron", "expected either interval or cron, not both");
            }
        }
        if (reader.has("description")) {
            reader.string("description");
        }
        if (reader.has("labels")) {
            keys.labels = reader.stringMap("labels");
            keys.labels.keySet().forEach(name -> keys.checkLabelName(reader, "labels." + quote(name), name));
        }
        if (reader.has("expose-labels")) {
            keys.exposeLabels = reader.stringList("expose-labels");
            for (String name : keys.exposeLabels) {
                keys.checkLabelName(reader, "expose-labels", name);
                if (keys.labels.containsKey(name)) {
                    reader.problem(
                            "expose-labels",
                            "expected target labels that are not also static labels," + " '" + name
                                    + "' is set in labels");
                }
            }
        }
        keys.state = readState(reader);
        keys.problems = reader.problems();
        return keys;
    }

    /** {@code max-attempts}, {@code soft-interval}, {@code flap-high} and {@code flap-low}. */
    private static StateSettings readState(SettingsReader reader) {
        Integer maxAttempts = reader.has("max-attempts") ? reader.integer("max-attempts", 1, 100) : Integer.valueOf(1);
        Duration softInterval = reader.has("soft-interval") ? reader.positiveDuration("soft-interval") : null;
        Double high = reader.has("flap-high") ? percent(reader, "flap-high") : Double.valueOf(50);
        Double low = reader.has("flap-low") ? percent(reader, "flap-low") : Double.valueOf(25);
        if (high != null && low != null && low > high) {
            reader.problem("flap-low", "expected a percent not above flap-high (" + high + "), got " + low);
        }
        if (maxAttempts == null || high == null || low == null) {
            return StateSettings.DEFAULT;
        }
        return new StateSettings(maxAttempts, softInterval, high, low);
    }

    private static Double percent(SettingsReader reader, String key) {
        Double value = reader.number(key);
        if (value != null && (value < 0 || value > 100)) {
            reader.problem(key, "expected a percent from 0 to 100, got " + value);
            return null;
        }
        return value;
    }

    /** Every exposed label must exist on at least one selected target, or it is a typo. */
    void checkExposedLabels(List<Target> targets, Problems problems) {
        for (String name : exposeLabels) {
            if (targets.stream().noneMatch(target -> target.labels().containsKey(name))) {
                ConfigValue list = block.hasPath("expose-labels") ? block.getValue("expose-labels") : null;
                problems.add(
                        list == null ? where : Origins.of(list),
                        path + ".expose-labels",
                        "expected labels of this check's targets, no target has label '" + name + "'");
                targetsValid = false;
            }
        }
    }

    private void checkLabelName(SettingsReader reader, String key, String name) {
        if (!LABEL_NAME.matcher(name).matches() || name.startsWith("__")) {
            reader.problem(
                    key,
                    "expected a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*, no leading __), got '" + name + "'");
        } else if (PROMETHEUS_LABELS.contains(name)) {
            reader.problem(key, prometheusLabelProblem(name));
        } else if (RESERVED_LABELS.contains(name)) {
            reader.problem(
                    key,
                    "expected a label name other than check, target, reason and result, which Patrol"
                            + " sets itself; got '" + name + "'");
        }
    }

    private static String quote(String key) {
        return Origins.join("", key);
    }

    /** What {@link #read} found wrong, relative to the check block. */
    List<SettingsProblem> problems() {
        return problems;
    }

    boolean isValid() {
        return problems.isEmpty() && targetsValid;
    }

    Duration interval() {
        return interval;
    }

    String cron() {
        return cron;
    }

    Duration timeout() {
        return timeout;
    }

    int retries() {
        return retries;
    }

    Duration retryInterval() {
        return retryInterval;
    }

    Map<String, String> labels() {
        return labels;
    }

    List<String> exposeLabels() {
        return exposeLabels;
    }

    StateSettings state() {
        return state;
    }
}
