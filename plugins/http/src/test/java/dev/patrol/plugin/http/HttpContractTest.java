package dev.patrol.plugin.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.patrol.api.CheckPlugin;
import dev.patrol.testing.PluginContractTest;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The contract every plugin keeps, and the one thing sample.conf shows about this one: a URL needs no targets. */
class HttpContractTest extends PluginContractTest {
    @Override
    protected CheckPlugin plugin() {
        return new HttpPlugin();
    }

    /** sample.conf shows a header to send and marks it safe to show; by default no header is either. */
    @Override
    protected Set<String> sampleExamples() {
        return Set.of("safe-headers");
    }

    @Test
    void sampleConfsFixedUrlIsItsOwnTarget() throws IOException {
        String sample = Files.readString(moduleDir().resolve("sample.conf"));
        String check = ConfigFactory.parseString(sample)
                .resolve()
                .getConfig("patrol.checks.homepage")
                .root()
                .render();

        HttpCheck parsed = (HttpCheck) new HttpPlugin().parse(HttpTestSupport.block(check));

        assertThat(parsed.implicitTarget().name()).isEqualTo("shop.example.com");
    }
}
