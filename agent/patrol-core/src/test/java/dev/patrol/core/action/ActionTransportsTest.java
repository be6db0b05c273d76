package dev.patrol.core.action;

import static dev.patrol.api.Status.CRITICAL;
import static dev.patrol.api.Status.OK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import com.typesafe.config.ConfigFactory;
import dev.patrol.api.Secret;
import dev.patrol.api.Status;
import dev.patrol.api.Target;
import dev.patrol.core.audit.AuditLog;
import dev.patrol.core.audit.AuditReader;
import dev.patrol.core.config.ActionSettings;
import dev.patrol.core.config.CheckSettings;
import dev.patrol.core.config.StateSettings;
import dev.patrol.core.state.SeriesKey;
import dev.patrol.core.transition.StateTracker;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local (argv) and HTTP ways an action runs; SSH is covered by RemediationIT against OpenSSH. */
class ActionTransportsTest {
    @TempDir
    Path dir;

    private final StateTracker tracker = new StateTracker();
    private final ActionMetrics metrics = new ActionMetrics(() -> null);
    private final ActionDispatcher dispatcher = new ActionDispatcher(
            new GuardBook(), metrics, null, Clock.systemUTC(), (c, t) -> new CompletableFuture<>(), () -> {});
    private final Target target =
            new Target("web 1", "127.0.0.1", 22, Map.of("service", "a b; c"), ConfigFactory.empty());
    private HttpServer server;

    @AfterEach
    void close() {
        dispatcher.close();
        if (server != null) {
            server.stop(0);
        }
    }

    private ActionSettings action(ActionSettings.Where where, String run, ActionSettings.Http http) {
        return new ActionSettings(
                "act",
                "web-up",
                Set.of(CRITICAL),
                List.of(target),
                where,
                run,
                false,
                http,
                Duration.ofSeconds(20),
                5,
                Duration.ZERO,
                false,
                false);
    }

    private void goHardCritical(ActionSettings action) {
        dispatcher.apply(Map.of("act", action), ActionFixtures.limits(4, null), new AuditLog(dir, 1 << 20, 2));
        CheckSettings check = new CheckSettings(
                "web-up",
                "probe",
                null,
                Duration.ofSeconds(30),
                null,
                Duration.ofSeconds(10),
                0,
                Duration.ZERO,
                List.of(target),
                Map.of(),
                List.of(),
                ConfigFactory.empty(),
                StateSettings.DEFAULT);
        for (Status status : List.of(OK, CRITICAL)) {
            dispatcher.transitioned(
                    check,
                    target,
                    null,
                    tracker.record(new SeriesKey("web-up", target.name()), status, StateSettings.DEFAULT));
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> metrics.runs("act", target.name(), RunResult.SUCCESS)
                                + metrics.runs("act", target.name(), RunResult.FAILURE)
                        == 1);
    }

    @Test
    void localRunsArgvStyleWithEachValueOneArgumentAndNoShell() throws Exception {
        goHardCritical(action(ActionSettings.Where.LOCAL, "touch " + dir + "/{label.service}", null));

        assertThat(metrics.runs("act", "web 1", RunResult.SUCCESS)).isEqualTo(1);
        assertThat(dir.resolve("a b; c")).exists();
        assertThat(dir.resolve("a")).doesNotExist();
    }

    @Test
    void httpSendsTheTokenURLEncodesValuesAndNeverAuditsTheToken() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            seen.add(
                    exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath() + " "
                            + exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = "drained".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/drain/{target}";

        goHardCritical(action(null, null, new ActionSettings.Http(url, "POST", new Secret("s3cret-token"), Map.of())));

        assertThat(seen).containsExactly("POST /drain/web%201 Bearer s3cret-token");
        assertThat(metrics.runs("act", "web 1", RunResult.SUCCESS)).isEqualTo(1);
        String audit = Files.readString(dir.resolve("audit.log"));
        assertThat(audit).contains("drained", "/drain/web%201").doesNotContain("s3cret-token");
        assertThat(AuditReader.read(dir, Instant.EPOCH))
                .singleElement()
                .satisfies(entry -> assertThat(entry.getInt("exit_status")).isEqualTo(200));
    }
}
