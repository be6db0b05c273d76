package dev.patrol.core.engine;

import com.typesafe.config.ConfigFactory;
import dev.patrol.api.CheckDefinition;
import dev.patrol.api.Target;
import dev.patrol.core.config.CheckSettings;
import dev.patrol.core.config.LimitsSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Builds check settings around a lambda definition, for engine and scheduler tests. */
final class EngineFixtures {
    static final LimitsSettings LIMITS = new LimitsSettings(1000, 100, 100, 2);

    private EngineFixtures() {}

    static Target target(String name) {
        return Target.of(name, "127.0.0.1", 22);
    }

    static CheckSettings check(
            String name, CheckDefinition definition, Duration timeout, int retries, Target... targets) {
        return new CheckSettings(
                name,
                "test",
                definition,
                Duration.ofSeconds(30),
                null,
                timeout,
                retries,
                Duration.ofMillis(10),
                List.of(targets),
                Map.of(),
                List.of(),
                ConfigFactory.parseMap(Map.of("name", name)));
    }
}
