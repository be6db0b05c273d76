package dev.patrol.core.config;

import com.typesafe.config.Config;
import dev.patrol.api.CheckContext;
import dev.patrol.api.CheckDefinition;
import dev.patrol.api.CheckPlugin;
import dev.patrol.api.CheckResult;
import dev.patrol.api.Sample;
import dev.patrol.api.SettingsReader;
import dev.patrol.api.Target;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A test-only plugin of type "probe" whose keys live in the test reference.conf: {@code url} (optional; a check with a
 * URL needs no targets), {@code samples {}}, {@code expect { status, body }} and {@code crash}.
 */
final class ProbePlugin implements CheckPlugin {

    /** What parse saw, so tests can check the defaults chain. */
    record Probe(URI url, Map<String, String> samples, int status, Config block) implements CheckDefinition {
        @Override
        public CompletionStage<CheckResult> run(Target target, CheckContext context) {
            return CompletableFuture.completedFuture(CheckResult.ok("probed " + target.name()));
        }

        @Override
        public boolean needsTargets() {
            return url == null;
        }

        @Override
        public Target implicitTarget() {
            return Target.of(url.getHost(), url.getHost(), url.getPort() < 0 ? 443 : url.getPort());
        }
    }

    @Override
    public String type() {
        return "probe";
    }

    @Override
    public CheckDefinition parse(Config block) {
        SettingsReader reader = new SettingsReader(block);
        if (Boolean.TRUE.equals(reader.bool("crash"))) {
            throw new IllegalStateException("probe crashed on purpose");
        }
        URI url = null;
        if (reader.has("url")) {
            String text = reader.string("url");
            try {
                url = text == null ? null : new URI(text);
            } catch (URISyntaxException e) {
                url = null;
            }
            if (text != null && (url == null || url.getHost() == null || !"https".equals(url.getScheme()))) {
                reader.problem("url", "expected an https URL with a host, got '" + text + "'");
                url = null;
            }
        }
        Map<String, String> samples = reader.stringMap("samples");
        for (String name : samples.keySet()) {
            if (!Sample.isValidSampleName(name)) {
                reader.problem("samples", "expected sample names matching [a-z_][a-z0-9_]*, got '" + name + "'");
            }
        }
        Integer status = reader.integer("expect.status", 100, 599);
        reader.throwIfInvalid();
        return new Probe(url, samples, status, block);
    }
}
