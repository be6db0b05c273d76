package dev.patrol.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import dev.patrol.api.CheckPlugin;
import dev.patrol.api.CommonCheckKeys;
import dev.patrol.api.InvalidSettingsException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What every plugin module promises, checked the same way for each (telegraf's {@code plugins/all_test.go} and
 * {@code check-plugin-doc-embedding.sh}): the folder is named after {@code type()}, {@link ServiceLoader} finds the
 * plugin, README embeds {@code sample.conf} verbatim and documents every {@code reference.conf} key, each key there has
 * a comment, and the checks of {@code sample.conf} use only known keys and parse with the plugin, commented-out
 * defaults included. A plugin's tests extend it once:
 *
 * <pre>{@code
 * class ExampleContractTest extends PluginContractTest {
 *     @Override
 *     protected CheckPlugin plugin() {
 *         return new ExamplePlugin();
 *     }
 * }
 * }</pre>
 *
 * <p>Known keys are {@link CommonCheckKeys#NAMES} and those of the plugin's {@code reference.conf}, without the agent:
 * that {@code sample.conf} also passes the agent's real loader is checked once for all plugins, in {@code packaging}.
 */
public abstract class PluginContractTest {
    private static final Pattern KEBAB_CASE = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    /** The plugin under test, built as {@link ServiceLoader} builds it. */
    protected abstract CheckPlugin plugin();

    /** The plugin's module folder, holding {@code README.md} and {@code sample.conf}; the build's working directory. */
    protected Path moduleDir() {
        return Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    }

    /**
     * Keys of a check block (paths such as {@code headers.Accept}) whose commented-out value in {@code sample.conf} is
     * an example rather than the default; every other commented-out value must equal the one in reference.conf.
     */
    protected Set<String> sampleExamples() {
        return Set.of();
    }

    @Test
    void theFolderIsNamedAfterTheTypeInKebabCase() {
        assertThat(plugin().type()).matches(KEBAB_CASE);
        assertThat(moduleDir().getFileName()).hasToString(plugin().type());
    }

    @Test
    void serviceLoaderFindsThePluginOnce() {
        assertThat(ServiceLoader.load(CheckPlugin.class).stream().map(ServiceLoader.Provider::type))
                .as("META-INF/services/%s", CheckPlugin.class.getName())
                .containsOnlyOnce(plugin().getClass());
    }

    @Test
    void readmeEmbedsSampleConfVerbatimUnderConfiguration() throws IOException {
        assertThat(read("README.md")).contains("## Configuration\n\n```hocon\n" + read("sample.conf") + "```\n");
    }

    @Test
    void everyReferenceKeyHasAComment() {
        List<String> undocumented = new ArrayList<>();
        referenceKeys(defaults().root(), "").forEach((key, value) -> {
            if (value.origin().comments().isEmpty()) {
                undocumented.add(key);
            }
        });
        assertThat(undocumented).as("reference.conf keys without a comment").isEmpty();
    }

    @Test
    void readmeDocumentsEveryReferenceKey() throws IOException {
        String readme = read("README.md");
        List<String> missing = new ArrayList<>();
        for (String key : referenceKeys(defaults().root(), "").keySet()) {
            List<String> path = ConfigUtil.splitPath(key);
            String name = Pattern.quote(path.get(path.size() - 1));
            // As code (`tls.ca-file`, `max-output`) or written as a setting (# max-output = 64KiB, tls {, { address =
            // ).
            Pattern named = Pattern.compile(
                    "`([\\w.-]*\\.)?" + name + "[`\\s=.]|(^|[\\s#{,])" + name + "\\s*[={]", Pattern.MULTILINE);
            if (!named.matcher(readme).find()) {
                missing.add(key);
            }
        }
        assertThat(missing).as("reference.conf keys the README never names").isEmpty();
    }

    @Test
    void sampleConfChecksAreOfThisTypeUseOnlyKnownKeysAndParse() throws IOException {
        assertChecksParse(read("sample.conf"));
    }

    /** A user uncomments lines of sample.conf: what they find there must be valid too. */
    @Test
    void commentedOutKeysInSampleConfAreKnown() throws IOException {
        for (Map.Entry<String, Config> check : checks(uncommentedSample()).entrySet()) {
            assertThat(unknownKeys(check.getValue()))
                    .as("unknown keys in %s", check.getKey())
                    .isEmpty();
        }
    }

    @Test
    void commentedOutDefaultsInSampleConfAreTheReferenceDefaults() throws IOException {
        Config defaults = defaults();
        for (Map.Entry<String, Config> check : checks(uncommentedSample()).entrySet()) {
            for (Map.Entry<String, ConfigValue> entry : check.getValue().entrySet()) {
                String key = entry.getKey();
                if (defaults.hasPath(key) && !sampleExamples().contains(key) && !isSetInSample(check, key)) {
                    assertThat(entry.getValue().unwrapped())
                            .as("%s in %s, commented out in sample.conf", key, check.getKey())
                            .isEqualTo(defaults.getValue(key).unwrapped());
                }
            }
        }
    }

    private boolean isSetInSample(Map.Entry<String, Config> check, String key) throws IOException {
        Config sample = checks(read("sample.conf")).get(check.getKey());
        return sample != null && sample.hasPath(key);
    }

    /** What the agent does with each check block: reject unknown keys, add the defaults, let the plugin parse it. */
    private void assertChecksParse(String sample) {
        Map<String, Config> checks = checks(sample);
        assertThat(checks).as("checks under patrol.checks in sample.conf").isNotEmpty();
        checks.forEach((name, check) -> {
            assertThat(check.getString("type")).as("%s.type", name).isEqualTo(plugin().type());
            assertThat(unknownKeys(check)).as("unknown keys in %s", name).isEmpty();
            try {
                assertThat(plugin().parse(PluginTestSupport.block(check.root().render(), defaults())))
                        .isNotNull();
            } catch (InvalidSettingsException e) {
                fail("check %s of sample.conf does not parse: %s", name, e.getMessage());
            }
        });
    }

    /** Keys the agent would reject: neither common nor in reference.conf (an empty block there takes any keys). */
    private List<String> unknownKeys(Config check) {
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, ConfigValue> entry : check.root().entrySet()) {
            if (!CommonCheckKeys.NAMES.contains(entry.getKey())) {
                collectUnknown(entry.getKey(), entry.getValue(), defaults().root(), unknown);
            }
        }
        return unknown;
    }

    private static void collectUnknown(String key, ConfigValue value, ConfigObject reference, List<String> unknown) {
        if (!reference.containsKey(key)) {
            unknown.add(key);
            return;
        }
        ConfigValue known = reference.get(key);
        if (value instanceof ConfigObject object && known instanceof ConfigObject block && !block.isEmpty()) {
            object.forEach((child, childValue) -> {
                List<String> nested = new ArrayList<>();
                collectUnknown(child, childValue, block, nested);
                nested.forEach(path -> unknown.add(ConfigUtil.joinPath(key) + "." + path));
            });
        }
    }

    /** Every key of reference.conf by path; a non-empty block is a group of keys, an empty one a key itself. */
    private static Map<String, ConfigValue> referenceKeys(ConfigObject object, String prefix) {
        Map<String, ConfigValue> keys = new LinkedHashMap<>();
        object.forEach((key, value) -> {
            String path = prefix + ConfigUtil.joinPath(key);
            if (value instanceof ConfigObject block && !block.isEmpty()) {
                keys.putAll(referenceKeys(block, path + "."));
            } else {
                keys.put(path, value);
            }
        });
        return keys;
    }

    private Config defaults() {
        return PluginTestSupport.pluginDefaults(plugin().getClass(), plugin().type());
    }

    /** The check blocks of a sample, by name, as the user wrote them. */
    private static Map<String, Config> checks(String sample) {
        Config parsed = ConfigFactory.parseString(sample).resolve();
        Map<String, Config> checks = new TreeMap<>();
        if (parsed.hasPath("patrol.checks")) {
            ConfigObject blocks = parsed.getObject("patrol.checks");
            blocks.keySet().forEach(name -> checks.put(name, blocks.toConfig().getConfig(ConfigUtil.joinPath(name))));
        }
        return checks;
    }

    /** sample.conf with every {@code # } line uncommented; {@code ##} lines stay prose. */
    private String uncommentedSample() throws IOException {
        return read("sample.conf").replaceAll("(?m)^(\\s*)# ", "$1");
    }

    private String read(String file) throws IOException {
        return Files.readString(moduleDir().resolve(file), StandardCharsets.UTF_8);
    }
}
