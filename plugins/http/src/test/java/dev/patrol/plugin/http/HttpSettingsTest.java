package dev.patrol.plugin.http;

import static dev.patrol.plugin.http.HttpTestSupport.block;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.patrol.api.InvalidSettingsException;
import dev.patrol.api.SettingsProblem;
import dev.patrol.testing.PluginTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HttpSettingsTest {
    private static final java.util.Set<java.nio.file.attribute.PosixFilePermission> OWNER_ONLY =
            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------");

    private static List<SettingsProblem> problems(String hocon) {
        return PluginTestSupport.problems(hocon, () -> HttpSettings.from(block(hocon)));
    }

    @Nested
    class Defaults {
        @Test
        void onlyTheUrlIsRequired() {
            HttpSettings settings = HttpSettings.from(block("url = \"http://127.0.0.1/health\""));

            assertThat(settings.method()).isEqualTo("GET");
            assertThat(settings.headers()).isEmpty();
            assertThat(settings.body()).isNull();
            assertThat(settings.authorization()).isNull();
            assertThat(settings.expectStatus()).hasToString("2xx");
            assertThat(settings.redirects()).isEqualTo(HttpSettings.Redirects.FOLLOW);
            assertThat(settings.httpVersion()).isEqualTo(HttpSettings.HttpVersion.HTTP1_1);
            assertThat(settings.maxResponseSize()).isEqualTo(10L * 1024 * 1024);
            assertThat(settings.responseTooLarge()).isEqualTo(HttpSettings.TooLarge.CRITICAL);
            assertThat(settings.readsBody()).isFalse();
            assertThat(settings.tls()).isEqualTo(new TlsSettings(null, false, null, null));
        }

        @Test
        void connectTimeoutIsTheSmallerOfTimeoutAndFiveSeconds() {
            assertThat(HttpSettings.from(block("url = \"http://a/\"")).connectTimeout())
                    .isEqualTo(Duration.ofSeconds(5));
            assertThat(HttpSettings.from(block("url = \"http://a/\", timeout = 2s"))
                            .connectTimeout())
                    .isEqualTo(Duration.ofSeconds(2));
            assertThat(HttpSettings.from(block("url = \"http://a/\", connect-timeout = 700ms"))
                            .connectTimeout())
                    .isEqualTo(Duration.ofMillis(700));
        }

        @Test
        void everyKeyIsRead() {
            HttpSettings settings = HttpSettings.from(
                    block(
                            """
                    url = "https://{host}:{port}/api"
                    method = POST
                    headers { Accept = "application/json", X-Trace = 1 }
                    body = "{}"
                    bearer-token = "t0ken"
                    expect { status = [200, "3xx"], body-matches = ["ok"], body-not-matches = ["error"] }
                    samples { queue_depth = "$.queue.depth" }
                    redirects = none
                    http-version = http2
                    max-response-size = 64KiB
                    response-too-large = truncate
                    """));

            assertThat(settings.method()).isEqualTo("POST");
            assertThat(settings.headers())
                    .containsEntry("Accept", "application/json")
                    .containsEntry("X-Trace", "1");
            assertThat(settings.authorization().reveal()).isEqualTo("Bearer t0ken");
            assertThat(settings.expectStatus().accepts(302)).isTrue();
            assertThat(settings.readsBody()).isTrue();
            assertThat(settings.redirects()).isEqualTo(HttpSettings.Redirects.NONE);
            assertThat(settings.httpVersion()).isEqualTo(HttpSettings.HttpVersion.HTTP2);
            assertThat(settings.maxResponseSize()).isEqualTo(64 * 1024);
            assertThat(settings.responseTooLarge()).isEqualTo(HttpSettings.TooLarge.TRUNCATE);
            assertThat(settings.toString()).doesNotContain("t0ken");
        }

        @Test
        void singleStatusCodeIsAListOfOne() {
            HttpSettings settings = HttpSettings.from(block("url = \"http://a/\", expect.status = 204"));

            assertThat(settings.expectStatus().accepts(204)).isTrue();
            assertThat(settings.expectStatus().accepts(200)).isFalse();
        }
    }

    @Nested
    class Secrets {
        @TempDir
        Path dir;

        @Test
        void basicAuthPasswordFromFileBecomesOneMaskedHeader() throws Exception {
            Path file = dir.resolve("password");
            Files.setPosixFilePermissions(Files.writeString(file, "s3cret\n"), OWNER_ONLY);

            HttpSettings settings = HttpSettings.from(block(
                    "url = \"http://a/\"\nbasic-auth { username = alice, " + "password-file = \"" + file + "\" }"));

            assertThat(settings.authorization().reveal()).isEqualTo("Basic YWxpY2U6czNjcmV0");
            assertThat(settings.toString()).doesNotContain("s3cret").doesNotContain("YWxpY2U6czNjcmV0");
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"rw-r--r--", "rw-r-----", "rw----r--"})
        void secretFileOthersCanReadIsRefusedAtItsLine(String mode) throws Exception {
            Path file = dir.resolve("token");
            Files.setPosixFilePermissions(
                    Files.writeString(file, "t0ken\n"), java.nio.file.attribute.PosixFilePermissions.fromString(mode));

            List<SettingsProblem> problems = problems("url = \"http://a/\"\nbearer-token-file = \"" + file + "\"");

            assertThat(problems).extracting(SettingsProblem::path).containsExactly("bearer-token-file");
            assertThat(problems.get(0).format())
                    .matches("(?s).*:2: bearer-token-file: expected a file only its owner can access, .*")
                    .contains("chmod 600")
                    .doesNotContain("t0ken");
        }

        @Test
        void secretFileOnlyItsOwnerCanReadIsAccepted() throws Exception {
            Path file = dir.resolve("token");
            Files.setPosixFilePermissions(Files.writeString(file, "t0ken\n"), OWNER_ONLY);

            HttpSettings settings =
                    HttpSettings.from(block("url = \"http://a/\"\nbearer-token-file = \"" + file + "\""));

            assertThat(settings.authorization().reveal()).isEqualTo("Bearer t0ken");
        }

        @Test
        void toStringShowsNeitherHeaderValuesNorQueryValues() {
            HttpSettings settings = HttpSettings.from(block("url = \"https://a/x?token=q5ecret&page=2\"\n"
                    + "headers { Cookie = \"session=c00kie\" }\nsafe-headers = [Accept]\nsafe-query-params = [page]"));

            assertThat(settings.toString()).contains("Cookie", "token=******").doesNotContain("c00kie", "q5ecret");
            assertThat(new HttpCheck(settings).toString()).doesNotContain("q5ecret");
        }

        @Test
        void unreadablePasswordFileIsReportedAtItsKey() {
            assertThat(problems("url = \"http://a/\"\nbasic-auth { username = a, password-file = \"/nonexistent\" }"))
                    .extracting(SettingsProblem::path)
                    .containsExactly("basic-auth.password-file");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            missing url                | method = GET                                               | url
            not http                   | url = "ftp://a/"                                          | url
            unknown placeholder        | url = "http://{hostname}/"                                | url
            unclosed placeholder       | url = "http://{host/"                                     | url
            password in url            | url = "http://u:p@a/"                                     | url
            lower-case method          | url = "http://a/", method = get                           | method
            restricted header          | url = "http://a/", headers { Host = x }                   | headers.Host
            nested header              | url = "http://a/", headers { X { Y = z } }                | headers.X
            status out of range        | url = "http://a/", expect.status = [600]                  | expect.status
            status class unknown       | url = "http://a/", expect.status = ["6xx"]                | expect.status
            empty status list          | url = "http://a/", expect.status = []                     | expect.status
            bad body regex             | url = "http://a/", expect.body-matches = ["("]            | expect.body-matches
            bad negative regex         | url = "http://a/", expect.body-not-matches = ["[a"]       | expect.body-not-matches
            bad sample name            | url = "http://a/", samples { Queue-Depth = "$.q" }        | samples.Queue-Depth
            bad json path              | url = "http://a/", samples { q = "$.[" }                  | samples.q
            sample not a string        | url = "http://a/", samples { q = 1 }                      | samples.q
            bad redirects              | url = "http://a/", redirects = maybe                      | redirects
            bad http version           | url = "http://a/", http-version = "3"                     | http-version
            zero response size         | url = "http://a/", max-response-size = 0                  | max-response-size
            huge response size         | url = "http://a/", max-response-size = 2GiB               | max-response-size
            bad too-large mode         | url = "http://a/", response-too-large = ignore            | response-too-large
            zero connect timeout       | url = "http://a/", connect-timeout = 0s                   | connect-timeout
            connect timeout text       | url = "http://a/", connect-timeout = soon                 | connect-timeout
            missing ca file            | url = "http://a/", tls.ca-file = "/nonexistent.pem"       | tls.ca-file
            insecure not a boolean     | url = "http://a/", tls.insecure-skip-verify = maybe       | tls.insecure-skip-verify
            cert without key           | url = "http://a/", tls.cert-file = "/etc/passwd"          | tls.key-file
            basic auth without password| url = "http://a/", basic-auth.username = u                | basic-auth.password
            password without user      | url = "http://a/", basic-auth.password = p                | basic-auth.username
            basic and bearer           | url = "http://a/", basic-auth { username = u, password = p }, bearer-token = t | bearer-token
            """)
    void badValueIsReportedAtItsPath(String name, String hocon, String path) {
        assertThat(problems(hocon)).extracting(SettingsProblem::path).containsExactly(path);
    }

    @Test
    void everyProblemIsCollectedBeforeFailing() {
        assertThatThrownBy(() -> HttpSettings.from(block("url = \"ftp://a/\", method = get, redirects = maybe")))
                .isInstanceOf(InvalidSettingsException.class)
                .satisfies(e -> assertThat(((InvalidSettingsException) e).problems())
                        .extracting(SettingsProblem::path)
                        .containsExactly("url", "method", "redirects"));
    }

    @Test
    void problemNamesTheLineItWasWrittenOn() {
        SettingsProblem problem = problems("url = \"http://a/\"\nmethod = get").get(0);

        assertThat(problem.origin().lineNumber()).isEqualTo(2);
        assertThat(problem.expected()).contains("upper-case HTTP method");
    }
}
