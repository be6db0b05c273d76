package dev.patrol.plugin.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.patrol.api.CommonCheckKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The worked examples of the README, beyond sample.conf (which HttpContractTest covers), parse as the agent would. */
class ReadmeExamplesTest {
    private static final Path MODULE = Path.of(System.getProperty("basedir", "."));

    @Test
    void theReadmesWorkedRateLimitExampleParses() throws IOException {
        String readme = Files.readString(MODULE.resolve("README.md"));
        int heading = readme.indexOf("#### Worked example");
        int start = readme.indexOf("```hocon\n", heading) + "```hocon\n".length();
        String example = readme.substring(start, readme.indexOf("```\n", start)).replace("# ... 38 more", "");

        Config check = ConfigFactory.parseString(example).resolve().getConfig("patrol.checks.repo-ci");

        assertThat(check.getString("rate-limit")).isEqualTo("github");
        assertThat(check.root().keySet())
                .allMatch(key -> CommonCheckKeys.NAMES.contains(key)
                        || HttpTestSupport.pluginDefaults().root().containsKey(key));
        // The token file exists only on the user's machine; everything else is parsed as the agent would.
        Config withoutToken = check.withoutPath("bearer-token-file");
        HttpCheck parsed = (HttpCheck)
                new HttpPlugin().parse(HttpTestSupport.block(withoutToken.root().render()));
        assertThat(parsed.needsTargets()).isTrue();
    }
}
