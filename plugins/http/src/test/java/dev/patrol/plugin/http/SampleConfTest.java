package dev.patrol.plugin.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.patrol.core.config.CommonCheckKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The documentation a user copies from stays true: telegraf's check-plugin-doc-embedding, plus parsing. */
class SampleConfTest {
    private static final Path MODULE = Path.of(System.getProperty("basedir", "."));

    private static String sampleConf() throws IOException {
        return Files.readString(MODULE.resolve("sample.conf"));
    }

    private static Config sampleCheck(String text) {
        return ConfigFactory.parseString(text).resolve().getConfig("patrol.checks.homepage");
    }

    @Test
    void readmeEmbedsSampleConfVerbatim() throws IOException {
        String readme = Files.readString(MODULE.resolve("README.md"));

        assertThat(readme).contains("## Configuration\n\n```hocon\n" + sampleConf() + "```\n");
    }

    @Test
    void sampleConfParsesWithThePlugin() throws IOException {
        Config check = sampleCheck(sampleConf());

        assertThat(check.getString("type")).isEqualTo(new HttpPlugin().type());
        assertThat(unknownKeys(check)).isEmpty();
        HttpCheck parsed = (HttpCheck)
                new HttpPlugin().parse(HttpTestSupport.block(check.root().render()));
        assertThat(parsed.implicitTarget().name()).isEqualTo("shop.example.com");
    }

    @Test
    void theReadmesWorkedRateLimitExampleParses() throws IOException {
        String readme = Files.readString(MODULE.resolve("README.md"));
        int heading = readme.indexOf("#### Worked example");
        int start = readme.indexOf("```hocon\n", heading) + "```hocon\n".length();
        String example = readme.substring(start, readme.indexOf("```\n", start)).replace("# ... 38 more", "");

        Config check = ConfigFactory.parseString(example).resolve().getConfig("patrol.checks.repo-ci");

        assertThat(check.getString("rate-limit")).isEqualTo("github");
        assertThat(unknownKeys(check)).isEmpty();
        // The token file exists only on the user's machine; everything else is parsed as the agent would.
        Config withoutToken = check.withoutPath("bearer-token-file");
        HttpCheck parsed = (HttpCheck)
                new HttpPlugin().parse(HttpTestSupport.block(withoutToken.root().render()));
        assertThat(parsed.needsTargets()).isTrue();
    }

    @Test
    void everyCommentedOutKeyInSampleConfIsKnown() throws IOException {
        // "# key = value" lines are defaults a user uncomments; "##" lines are prose.
        String uncommented = sampleConf().replaceAll("(?m)^(\\s*)# ", "$1");

        Config check = sampleCheck(uncommented);

        assertThat(check.root().keySet()).contains("basic-auth", "samples", "tls", "max-response-size");
        assertThat(unknownKeys(check)).isEmpty();
    }

    @Test
    void everyReferenceKeyHasAComment() {
        List<String> undocumented = new ArrayList<>();
        collectUndocumented(HttpTestSupport.pluginDefaults().root(), "", undocumented);

        assertThat(undocumented).isEmpty();
    }

    /** Keys the agent would reject: neither common nor in reference.conf (empty blocks there take any keys). */
    private static List<String> unknownKeys(Config check) {
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, ConfigValue> entry : check.root().entrySet()) {
            if (!CommonCheckKeys.NAMES.contains(entry.getKey())) {
                collectUnknown(
                        entry.getKey(),
                        entry.getValue(),
                        HttpTestSupport.pluginDefaults().root(),
                        unknown);
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
        if (value.valueType() == ConfigValueType.OBJECT
                && known.valueType() == ConfigValueType.OBJECT
                && !((ConfigObject) known).isEmpty()) {
            ((ConfigObject) value).forEach((child, childValue) -> {
                List<String> nested = new ArrayList<>();
                collectUnknown(child, childValue, (ConfigObject) known, nested);
                nested.forEach(path -> unknown.add(key + "." + path));
            });
        }
    }

    private static void collectUndocumented(ConfigObject object, String prefix, List<String> undocumented) {
        object.forEach((key, value) -> {
            boolean nonEmptyBlock = value.valueType() == ConfigValueType.OBJECT && !((ConfigObject) value).isEmpty();
            if (nonEmptyBlock) {
                collectUndocumented((ConfigObject) value, prefix + key + ".", undocumented);
            } else if (value.origin().comments().isEmpty()) {
                undocumented.add(prefix + key);
            }
        });
    }
}
