package dev.patrol.core.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import dev.patrol.api.Status;
import dev.patrol.api.Target;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommandTemplateTest {
    private static Map<String, String> values(String service) {
        Target target = new Target("web-1", "10.0.0.11", 22, Map.of("service", service), ConfigFactory.empty());
        return CommandTemplate.values("nginx-up", target, Status.CRITICAL);
    }

    @Test
    void fillsEveryPlaceholderAndLeavesShellVariablesAlone() throws Exception {
        String command = CommandTemplate.shell(
                "restart {label.service} on {target} ({host}) for {check} {status} as ${USER}", values("nginx"));

        assertThat(command).isEqualTo("restart nginx on web-1 (10.0.0.11) for nginx-up critical as ${USER}");
    }

    /** What a real shell prints for the quoted value must be the value itself, whatever it holds. */
    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(
            strings = {"nginx; touch /tmp/owned", "$(touch /tmp/owned)", "`id`", "a'b\"c", "*", "", "a b  c", "\\"})
    void aShellSeesEachValueAsOneLiteralWord(String service) throws Exception {
        String command = CommandTemplate.shell("printf %s {label.service}", values(service));

        assertThat(sh(command)).isEqualTo(service);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"nginx\nrm -rf /", "a\rb", "nul\u0000", "tab\there", "del\u007f"})
    void refusesValuesWithControlCharacters(String service) {
        assertThatThrownBy(() -> CommandTemplate.shell("systemctl restart {label.service}", values(service)))
                .isInstanceOf(CommandTemplate.UnsafeArgument.class)
                .hasMessageContaining("{label.service}");
        assertThatThrownBy(() -> CommandTemplate.argv("systemctl restart {label.service}", values(service)))
                .isInstanceOf(CommandTemplate.UnsafeArgument.class);
    }

    @Test
    void argvKeepsEachValueOneArgument() throws Exception {
        assertThat(CommandTemplate.argv("/usr/bin/restart --unit {label.service} {target}", values("a b; c")))
                .containsExactly("/usr/bin/restart", "--unit", "a b; c", "web-1");
    }

    @Test
    void urlEncodesValues() throws Exception {
        assertThat(CommandTemplate.url("https://lb/drain/{label.service}?t={target}", values("a/b c&d")))
                .isEqualTo("https://lb/drain/a%2Fb%20c%26d?t=web-1");
    }

    private static String sh(String command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of("/bin/sh", "-c", command)).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
