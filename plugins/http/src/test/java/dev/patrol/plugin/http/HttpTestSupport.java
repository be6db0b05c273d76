package dev.patrol.plugin.http;

import com.typesafe.config.Config;
import dev.patrol.api.CheckResult;
import dev.patrol.api.Sample;
import dev.patrol.api.Target;
import dev.patrol.testing.PluginTestSupport;
import dev.patrol.testing.TestCheckContext;
import dev.patrol.transport.http.HttpClientPool;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Builds check blocks the way the agent does (plugin defaults, then patrol.defaults) and runs them. */
final class HttpTestSupport {

    private HttpTestSupport() {}

    /** This plugin's defaults, from its own reference.conf. */
    static Config pluginDefaults() {
        return PluginTestSupport.pluginDefaults(HttpPlugin.class, "http");
    }

    /** A check block written in HOCON, with the fallbacks the agent adds. */
    static Config block(String hocon) {
        return PluginTestSupport.block(hocon, pluginDefaults());
    }

    static HttpCheck check(String hocon) {
        return (HttpCheck) new HttpPlugin().parse(block(hocon));
    }

    /** Runs {@code check} once against {@code target} with a deadline {@code timeout} away; waits for the result. */
    static CheckResult run(HttpCheck check, Target target, HttpClientPool pool, Duration timeout) throws Exception {
        TestCheckContext context =
                TestCheckContext.builder().timeout(timeout).http(pool::get).build();
        return check.run(target, context).toCompletableFuture().get(timeout.toMillis() + 30_000, TimeUnit.MILLISECONDS);
    }

    static CheckResult run(HttpCheck check, HttpClientPool pool) throws Exception {
        Target target = check.needsTargets() ? Target.of("t", "127.0.0.1", 80) : check.implicitTarget();
        return run(check, target, pool, Duration.ofSeconds(10));
    }

    static Optional<Double> sample(CheckResult result, String name) {
        return PluginTestSupport.sample(result, name);
    }

    static List<String> sampleNames(CheckResult result) {
        return result.samples().stream().map(Sample::name).toList();
    }
}
