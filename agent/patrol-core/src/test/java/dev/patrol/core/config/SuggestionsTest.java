package dev.patrol.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
    private static final List<String> KEYS = List.of("interval", "timeout", "retries", "retry-interval", "targets");

    @Test
    void suggestsTheNearestKeyForATypo() {
        assertThat(Suggestions.nearest("intreval", KEYS)).contains("interval");
        assertThat(Suggestions.nearest("retry_interval", KEYS)).contains("retry-interval");
        assertThat(Suggestions.nearest("target", KEYS)).contains("targets");
    }

    @Test
    void suggestsNothingForAnUnrelatedWord() {
        assertThat(Suggestions.nearest("colour", KEYS)).isEmpty();
        assertThat(Suggestions.nearest("ab", List.of("cd"))).isEmpty();
    }

    @Test
    void countsASwapOfNeighboursAsOneEdit() {
        assertThat(Suggestions.distance("tiemout", "timeout")).isEqualTo(1);
        assertThat(Suggestions.distance("", "abc")).isEqualTo(3);
    }
}
