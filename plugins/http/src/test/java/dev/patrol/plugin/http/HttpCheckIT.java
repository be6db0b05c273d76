package dev.patrol.plugin.http;

import static dev.patrol.plugin.http.HttpTestSupport.check;
import static dev.patrol.plugin.http.HttpTestSupport.run;
import static dev.patrol.plugin.http.HttpTestSupport.sample;
import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.patrol.api.CheckResult;
import dev.patrol.api.Reason;
import dev.patrol.api.Sample;
import dev.patrol.api.Status;
import dev.patrol.api.Target;
import dev.patrol.testing.Closing;
import dev.patrol.testing.NginxServer;
import dev.patrol.testing.TestCertificates;
import dev.patrol.testing.transport.TestTransports;
import dev.patrol.transport.http.HttpClientPool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The http check against a real nginx: statuses, bodies, JSON, redirects, basic auth and connection reuse. */
class HttpCheckIT {
    private static final java.util.Set<java.nio.file.attribute.PosixFilePermission> OWNER_ONLY =
            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------");

    private static final String JSON = "{\"queue\": {\"depth\": 12, \"paused\": true}, \"name\": \"main\"}\n";

    @TempDir
    static Path dir;

    private static NginxServer nginx;
    private static HttpClientPool pool;

    @BeforeAll
    static void startNginx() throws Exception {
        String htpasswd = "alice:"
                + TestCertificates.openssl(dir, "passwd", "-apr1", "wonderland").strip() + "\n";
        Files.writeString(dir.resolve("htpasswd"), htpasswd);
        Files.setPosixFilePermissions(Files.writeString(dir.resolve("alice-password"), "wonderland\n"), OWNER_ONLY);
        Files.setPosixFilePermissions(Files.writeString(dir.resolve("wrong-password"), "rabbit\n"), OWNER_ONLY);
        nginx = NginxServer.create(dir.resolve("nginx"))
                .file("health", "status: ok\nversion: 1.2.3\n")
                .file("data.json", JSON)
                .file("private/index.html", "secret area\n")
                .location("= /old", "return 301 /health;")
                .location("/private/", "auth_basic \"patrol\"; auth_basic_user_file " + dir.resolve("htpasswd") + ";")
                .start();
        pool = TestTransports.httpClients();
    }

    @AfterAll
    static void stopNginx() throws Exception {
        Closing.closeAll(pool, nginx);
    }

    private static CheckResult runUrl(String path, String more) throws Exception {
        return run(check("url = \"" + nginx.url(path) + "\"\n" + more), pool);
    }

    @Test
    void okResponseIsOkWithItsSamples() throws Exception {
        CheckResult result = runUrl("/health", "expect.body-matches = [\"^status: ok$\"]");

        assertThat(result.status()).as(result.summary()).isEqualTo(Status.OK);
        assertThat(result.reason()).isEqualTo(Reason.NONE);
        assertThat(result.summary()).matches("HTTP 200 in \\d+ ms \\(2xx expected\\)");
        assertThat(sample(result, HttpOutcome.STATUS_CODE)).contains(200.0);
        assertThat(sample(result, HttpOutcome.RESPONSE_SIZE)).contains(26.0);
        assertThat(sample(result, HttpOutcome.VERSION)).contains(1.1);
        assertThat(sample(result, HttpOutcome.REDIRECTS)).contains(0.0);
        assertThat(sample(result, HttpOutcome.CERT_EXPIRY)).isEmpty();
    }

    @Test
    void missingPageIsAStatusMismatch() throws Exception {
        CheckResult result = runUrl("/nothing-here", "");

        assertThat(result.status()).isEqualTo(Status.CRITICAL);
        assertThat(result.reason()).isEqualTo(Reason.STATUS_MISMATCH);
        assertThat(result.summary()).matches("HTTP 404 in \\d+ ms, expected 2xx");
        assertThat(sample(result, HttpOutcome.STATUS_CODE)).contains(404.0);
    }

    @Test
    void bodyExpectationsAreJudged() throws Exception {
        assertThat(runUrl("/health", "expect.body-matches = [\"version: 2\"]").reason())
                .isEqualTo(Reason.BODY_MISMATCH);
        CheckResult forbidden = runUrl("/health", "expect.body-not-matches = [\"version: 1\\\\.\"]");
        assertThat(forbidden.reason()).isEqualTo(Reason.BODY_MISMATCH);
        assertThat(forbidden.summary()).contains("body matches 'version: 1\\.'");
    }

    @Test
    void templatedUrlIsFilledInFromTheTarget() throws Exception {
        HttpCheck check = check("url = \"http://{host}:{port}/{label.page}\"");
        Target web = new Target("web-1", "127.0.0.1", nginx.port(), Map.of("page", "health"), ConfigFactory.empty());

        assertThat(run(check, web, pool, Duration.ofSeconds(10)).status()).isEqualTo(Status.OK);
    }

    @Test
    void jsonPathsBecomeSamples() throws Exception {
        CheckResult result =
                runUrl("/data.json", "samples { queue_depth = \"$.queue.depth\", paused = \"$.queue.paused\" }");

        assertThat(result.status()).as(result.summary()).isEqualTo(Status.OK);
        assertThat(result.samples()).contains(Sample.gauge("queue_depth", 12), Sample.gauge("paused", 1));
    }

    @Test
    void jsonPathThatIsNotThereIsAWarning() throws Exception {
        CheckResult result = runUrl("/data.json", "samples { queue_depth = \"$.queue.depth\", size = \"$.size\" }");

        assertThat(result.status()).isEqualTo(Status.WARNING);
        assertThat(result.reason()).isEqualTo(Reason.PARSE_FAILED);
        assertThat(result.summary()).contains("sample size: $['size'] not found");
        assertThat(result.samples()).contains(Sample.gauge("queue_depth", 12));
    }

    @Test
    void redirectIsFollowedByDefault() throws Exception {
        CheckResult result = runUrl("/old", "");

        assertThat(result.status()).isEqualTo(Status.OK);
        assertThat(sample(result, HttpOutcome.REDIRECTS)).contains(1.0);
    }

    @Test
    void redirectNotFollowedIsAStatusMismatchUnless3xxIsExpected() throws Exception {
        CheckResult strict = runUrl("/old", "redirects = none");
        CheckResult accepting = runUrl("/old", "redirects = none, expect.status = [\"3xx\"]");

        assertThat(strict.reason()).isEqualTo(Reason.STATUS_MISMATCH);
        assertThat(strict.summary()).startsWith("HTTP 301");
        assertThat(accepting.status()).isEqualTo(Status.OK);
        assertThat(sample(accepting, HttpOutcome.REDIRECTS)).contains(0.0);
    }

    @Test
    void basicAuthPasswordFromAFileIsAccepted() throws Exception {
        String auth = "basic-auth { username = alice, password-file = \"%s\" }";

        CheckResult right = runUrl("/private/", auth.formatted(dir.resolve("alice-password")));
        CheckResult wrong = runUrl("/private/", auth.formatted(dir.resolve("wrong-password")));
        CheckResult none = runUrl("/private/", "");

        assertThat(right.status()).as(right.summary()).isEqualTo(Status.OK);
        assertThat(wrong.reason()).isEqualTo(Reason.STATUS_MISMATCH);
        assertThat(sample(wrong, HttpOutcome.STATUS_CODE)).contains(401.0);
        assertThat(none.summary()).startsWith("HTTP 401");
        assertThat(right.summary() + wrong.summary())
                .doesNotContain("wonderland")
                .doesNotContain("rabbit");
    }

    @Test
    void connectionsAreReusedAcrossRuns() throws Exception {
        HttpCheck check = check("url = \"" + nginx.url("/health") + "\"");
        run(check, pool);
        long before = nginx.acceptedConnections();

        for (int i = 0; i < 40; i++) {
            assertThat(run(check, pool).status()).isEqualTo(Status.OK);
        }

        // The JDK client hands a connection back to its pool just after the body completes, so a run that starts at
        // once may open a second one; a client per run, or no keep-alive, would open 40.
        assertThat(nginx.acceptedConnections() - before).isLessThan(5);
    }
}
