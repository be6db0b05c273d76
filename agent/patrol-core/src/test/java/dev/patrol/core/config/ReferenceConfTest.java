package dev.patrol.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Keeps core's reference.conf and docs/configuration.md from drifting apart. */
class ReferenceConfTest {
    private static final Path REFERENCE = Path.of("src/main/resources/reference.conf");
    private static final Path DOCS = Path.of("../../docs/configuration.md");

    private static List<Map.Entry<String, ConfigValue>> keyPaths() {
        Config reference = ConfigFactory.parseFile(REFERENCE.toFile());
        List<Map.Entry<String, ConfigValue>> paths = new ArrayList<>();
        collect("", reference.root(), paths);
        return paths;
    }

    private static void collect(String prefix, ConfigObject object, List<Map.Entry<String, ConfigValue>> paths) {
        for (Map.Entry<String, ConfigValue> entry : object.entrySet()) {
            String path = Origins.join(prefix, entry.getKey());
            paths.add(Map.entry(path, entry.getValue()));
            if (entry.getValue() instanceof ConfigObject child) {
                collect(path, child, paths);
            }
        }
    }

    @Test
    void docsMentionEveryKeyPath() throws IOException {
        String docs = Files.readString(DOCS);

        assertThat(keyPaths())
                .extracting(Map.Entry::getKey)
                .hasSizeGreaterThan(20)
                .allSatisfy(path -> assertThat(docs)
                        .as("docs/configuration.md mentions %s", path)
                        .contains(path));
    }

    @Test
    void everyKeyBelowPatrolHasACommentParagraph() {
        assertThat(keyPaths())
                .filteredOn(entry -> !entry.getKey().equals("patrol"))
                .allSatisfy(entry -> assertThat(entry.getValue().origin().comments())
                        .as("comment above %s", entry.getKey())
                        .isNotEmpty());
    }

    @Test
    void theShippedDefaultsLoad() {
        PatrolSettings settings = ConfigTesting.loader().load(REFERENCE);

        assertThat(settings.web().port()).isEqualTo(9740);
    }
}
