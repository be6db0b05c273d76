package dev.patrol.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.patrol.api.InvalidSettingsException;
import dev.patrol.core.config.ConfigLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A required plugin key left out of a check is reported under the check, where the user must add it. The HTTP
 * plugin's reference.conf holds {@code url = null} under {@code patrol.plugin-defaults.http}, and the problem was
 * once reported there, on the check's line: {@code patrol.plugin-defaults.http.url: is required}.
 */
class MissingPluginKeyTest {
    @Test
    void aCheckWithoutItsRequiredUrlIsToldSoUnderItsOwnName(@TempDir Path dir) throws IOException {
        assertThat(loadError(dir, ""))
                .contains("patrol.conf:4: patrol.checks.health.url: is required")
                .doesNotContain("plugin-defaults");
    }

    @Test
    void aBadValueSetInPluginDefaultsIsStillToldThere(@TempDir Path dir) throws IOException {
        assertThat(loadError(dir, ", plugin-defaults.http { url = \"not a url\" }"))
                .contains("patrol.plugin-defaults.http.url:");
    }

    /** The error of loading an http check without a url, with {@code extra} after {@code state-dir}
     * on its line. */
    private static String loadError(Path dir, String extra) throws IOException {
        Path main = dir.resolve("patrol.conf");
        Files.writeString(
                main,
                """
                patrol {
                  state-dir = "%s"%s
                  checks {
                    health { type = http, interval = 15s }
                  }
                }
                """
                        .formatted(dir.resolve("state"), extra),
                StandardCharsets.UTF_8);
        InvalidSettingsException e =
                catchThrowableOfType(() -> ConfigLoader.discovering().load(main), InvalidSettingsException.class);
        assertThat(e).isNotNull();
        return e.getMessage();
    }
}
