package dev.patrol.plugin.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which {@code Link} headers name a next page the check may follow. */
class PageFollowerTest {
    private static final URI PAGE_ONE = URI.create("https://api.example.com/queues?page=1&per_page=100");

    private static URI next(String... links) {
        HttpHeaders headers = HttpHeaders.of(Map.of("Link", List.of(links)), (name, value) -> true);
        return PageFollower.next(headers, PAGE_ONE, PAGE_ONE);
    }

    @Test
    void githubsLinkHeaderGivesTheNextPage() {
        assertThat(next("<https://api.example.com/queues?page=2&per_page=100>; rel=\"next\","
                        + " <https://api.example.com/queues?page=9&per_page=100>; rel=\"last\""))
                .isEqualTo(URI.create("https://api.example.com/queues?page=2&per_page=100"));
    }

    @Test
    void nextMayComeAfterOtherLinksUnquotedOrAmongOtherRelations() {
        assertThat(
                        next(
                                "<https://api.example.com/queues?page=1>; rel=\"first\", <https://api.example.com/q?p=2>; rel=next"))
                .isEqualTo(URI.create("https://api.example.com/q?p=2"));
        assertThat(next("<https://api.example.com/q?p=3>; title=\"more\"; REL=\"prefetch next\""))
                .isEqualTo(URI.create("https://api.example.com/q?p=3"));
        assertThat(next(
                        "<https://api.example.com/q?p=0>; rel=\"prev\"",
                        "<https://api.example.com/q?p=4>; rel=\"next\""))
                .as("in a second Link header")
                .isEqualTo(URI.create("https://api.example.com/q?p=4"));
    }

    @Test
    void aRelativeLinkIsResolvedAgainstTheCurrentPage() {
        assertThat(next("</queues?page=2>; rel=\"next\""))
                .isEqualTo(URI.create("https://api.example.com/queues?page=2"));
        assertThat(next("<?page=2>; rel=\"next\"")).isEqualTo(URI.create("https://api.example.com/queues?page=2"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "<https://evil.example.net/steal?page=2>; rel=\"next\"",
                "<http://api.example.com/queues?page=2>; rel=\"next\"",
                "<https://api.example.com:8443/queues?page=2>; rel=\"next\"",
                "<https://api.example.com/queues?page=9>; rel=\"last\"",
                "<https://api.example.com/bad path>; rel=\"next\"",
                "https://api.example.com/queues?page=2; rel=\"next\"",
            })
    void anotherServerAnotherRelationOrABrokenLinkIsNotFollowed(String link) {
        assertThat(next(link)).isNull();
    }

    @Test
    void theDefaultPortOfTheSchemeIsTheSameServer() {
        assertThat(next("<https://api.example.com:443/queues?page=2>; rel=\"next\""))
                .isEqualTo(URI.create("https://api.example.com:443/queues?page=2"));
    }
}
