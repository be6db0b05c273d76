package dev.patrol.core.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JobRunEndpointTest {
    private WebFixture web;
    private final List<String> asked = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        web = WebFixture.start(WebFixture.defaults());
        web.jobs.set(name -> {
            asked.add(name);
            return switch (name) {
                case "dump" -> JobTrigger.Outcome.STARTED;
                case "busy" -> JobTrigger.Outcome.RUNNING;
                default -> JobTrigger.Outcome.UNKNOWN;
            };
        });
    }

    @AfterEach
    void stop() {
        web.close();
    }

    @Test
    void aKnownJobIsStartedWith202() throws Exception {
        HttpResponse<String> response = web.post("/-/jobs/dump/run");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.body()).isEqualTo("Started job dump\n");
        assertThat(asked).containsExactly("dump");
    }

    @Test
    void aRunningJobIs409AndAnUnknownOne404WithoutEchoingTheName() throws Exception {
        HttpResponse<String> busy = web.post("/-/jobs/busy/run");
        HttpResponse<String> unknown = web.post("/-/jobs/%3Cscript%3E/run");

        assertThat(busy.statusCode()).isEqualTo(409);
        assertThat(busy.body()).isEqualTo("Job busy is already running\n");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).isEqualTo("No such job\n");
    }

    @Test
    void getIs405AndStartsNothing() throws Exception {
        HttpResponse<String> response = web.get("/-/jobs/dump/run");

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("POST");
        assertThat(asked).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/-/jobs/", "/-/jobs/run", "/-/jobs/dump", "/-/jobs/a/b/run", "/-/jobs/dump/run/x"})
    void otherPathsUnderJobsAreNotFound(String path) throws Exception {
        HttpResponse<String> response = web.post(path);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(asked).isEmpty();
    }
}
