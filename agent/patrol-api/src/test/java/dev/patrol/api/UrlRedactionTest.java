package dev.patrol.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UrlRedactionTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "https://api.example.com/v1?token=abc&page=2       | https://api.example.com/v1?token=******&page=******",
                "https://user:pa55@example.com/x                   | https://user:******@example.com/x",
                "https://user@example.com/x                        | https://user@example.com/x",
                "https://user:pa:55@example.com/?a=1#frag          | https://user:******@example.com/?a=******#frag",
                "https://example.com/x#frag?not=query              | https://example.com/x#frag?not=query",
                "https://example.com/x?flag&key=                   | https://example.com/x?flag&key=******",
                "http://{host}:{port}/health?key=1                 | http://{host}:{port}/health?key=******",
                "https://example.com                               | https://example.com",
                "not a url?token=abc                               | not a url?token=abc",
            })
    void masksQueryValuesAndPasswords(String url, String redacted) {
        assertThat(UrlRedaction.redact(url)).isEqualTo(redacted);
    }

    @Test
    void keepsTheValuesOfSafeParameters() {
        assertThat(UrlRedaction.redact("https://example.com/?token=abc&page=2&Page=3", Set.of("page")))
                .isEqualTo("https://example.com/?token=******&page=2&Page=******");
    }

    @Test
    void nullStaysNull() {
        assertThat(UrlRedaction.redact(null)).isNull();
        assertThat(UrlRedaction.redactWithin(null)).isNull();
    }

    @Test
    void redactsEveryUrlWithinText() {
        String message = "GET https://a.example.com/?token=abc failed, 'https://u:p@b.example.com/' too; ftp://c/?k=v.";

        assertThat(UrlRedaction.redactWithin(message))
                .isEqualTo("GET https://a.example.com/?token=****** failed, 'https://u:******@b.example.com/' too;"
                        + " ftp://c/?k=******");
    }

    @Test
    void textWithoutAUrlComesBackAsItIs() {
        String text = "connection refused";

        assertThat(UrlRedaction.redactWithin(text)).isSameAs(text);
        assertThat(UrlRedaction.MASK).isEqualTo("******");
    }
}
