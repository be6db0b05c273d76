package dev.patrol.plugin.http;

import com.typesafe.config.Config;
import dev.patrol.api.CheckDefinition;
import dev.patrol.api.CheckPlugin;
import dev.patrol.api.InvalidSettingsException;
import dev.patrol.api.SettingsProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The {@code http} check type: requests a URL and judges the status code, the body and JSON values in it, like
 * blackbox_exporter's http prober. Settings are documented in this module's {@code reference.conf}.
 *
 * <pre>{@code
 * homepage { type = http, url = "https://shop.example.com/health", expect.status = [200] }
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class HttpPlugin implements CheckPlugin {

    @Override
    public String type() {
        return "http";
    }

    @Override
    public CheckDefinition parse(Config block) {
        List<SettingsProblem> problems = new ArrayList<>();
        HttpSettings settings = read(() -> HttpSettings.from(block), problems);
        Throttling throttling = read(() -> Throttling.from(block), problems);
        SamplesFrom samplesFrom = read(() -> SamplesFrom.from(block), problems);
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
        return new HttpCheck(settings, throttling, samplesFrom);
    }

    /** Each part's problems, so that one load reports all of them. */
    private static <T> T read(Supplier<T> part, List<SettingsProblem> problems) {
        try {
            return part.get();
        } catch (InvalidSettingsException e) {
            problems.addAll(e.problems());
            return null;
        }
    }
}
