package dev.patrol.core.web;

import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BasicAuthTest {

    /** A cheap hash (cost 4) in the {@code $2y$} form htpasswd writes. */
    static String hash(String password) {
        return BCrypt.with(BCrypt.Version.VERSION_2Y).hashToString(4, password.toCharArray());
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Nested
    class Users {
        private final BasicAuthUsers users = new BasicAuthUsers(Map.of("alice", hash("s3cret"), "bob", hash("pw:x")));

        @Test
        void acceptsTheRightPassword() {
            assertThat(users.check("alice", "s3cret")).isTrue();
            assertThat(users.check("alice", "s3cret"))
                    .as("again, from the cache")
                    .isTrue();
            assertThat(users.check("bob", "pw:x")).isTrue();
        }

        @Test
        void refusesWrongPasswordsUnknownUsersAndOverlongPasswords() {
            assertThat(users.check("alice", "S3cret")).isFalse();
            assertThat(users.check("bob", "s3cret")).isFalse();
            assertThat(users.check("mallory", "s3cret")).isFalse();
            assertThat(users.check("alice", "x".repeat(100))).isFalse();
        }

        @Test
        void readsTheCostOfAHash() {
            assertThat(BasicAuthUsers.cost("$2y$10$abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0"))
                    .isEqualTo(10);
        }
    }

    @Nested
    class Endpoint {
        private WebFixture web;
        private final AtomicInteger reloads = new AtomicInteger();

        @BeforeEach
        void start() throws IOException {
            web = WebFixture.start(WebFixture.defaults().secured(null, Map.of("alice", hash("s3cret"))));
            web.reload.set(() -> {
                reloads.incrementAndGet();
                return ReloadResult.succeeded("Reloaded");
            });
        }

        @AfterEach
        void stop() {
            web.close();
        }

        private HttpResponse<String> send(String method, String path, String authorization) throws Exception {
            HttpRequest.Builder request = web.request(path).method(method, HttpRequest.BodyPublishers.noBody());
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            return web.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"/metrics", "/-/healthy", "/-/ready", "/", "/nowhere"})
        void everyPathAsksForCredentials(String path) throws Exception {
            HttpResponse<String> response = send("GET", path, null);

            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"patrol\"");
        }

        @Test
        void reloadIsProtectedToo() throws Exception {
            assertThat(send("POST", "/-/reload", null).statusCode()).isEqualTo(401);
            assertThat(send("POST", "/-/reload", basic("alice", "wrong")).statusCode())
                    .isEqualTo(401);
            assertThat(reloads).hasValue(0);

            assertThat(send("POST", "/-/reload", basic("alice", "s3cret")).statusCode())
                    .isEqualTo(200);
            assertThat(reloads).hasValue(1);
        }

        @Test
        void aJobRunIsProtectedLikeReload() throws Exception {
            AtomicInteger runs = new AtomicInteger();
            web.jobs.set(name -> {
                runs.incrementAndGet();
                return JobTrigger.Outcome.STARTED;
            });

            assertThat(send("POST", "/-/jobs/dump/run", null).statusCode()).isEqualTo(401);
            assertThat(send("POST", "/-/jobs/dump/run", basic("alice", "wrong")).statusCode())
                    .isEqualTo(401);
            assertThat(runs).hasValue(0);

            assertThat(send("POST", "/-/jobs/dump/run", basic("alice", "s3cret"))
                            .statusCode())
                    .isEqualTo(202);
            assertThat(runs).hasValue(1);
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"Basic", "Basic !!!", "Bearer abc", "Basic YWxpY2U="})
        void malformedCredentialsAreRefused(String authorization) throws Exception {
            assertThat(send("GET", "/metrics", authorization).statusCode()).isEqualTo(401);
        }

        @Test
        void theRightCredentialsGetThrough() throws Exception {
            HttpResponse<String> response = send("GET", "/-/healthy", basic("alice", "s3cret"));

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("Healthy\n");
        }

        @Test
        void newUsersTakeEffectWithoutRestart() throws Exception {
            boolean applied = web.server.apply(WebFixture.defaults().secured(null, Map.of("bob", hash("new"))));

            assertThat(applied).isTrue();
            assertThat(send("GET", "/-/healthy", basic("alice", "s3cret")).statusCode())
                    .isEqualTo(401);
            assertThat(send("GET", "/-/healthy", basic("bob", "new")).statusCode())
                    .isEqualTo(200);
        }
    }
}
