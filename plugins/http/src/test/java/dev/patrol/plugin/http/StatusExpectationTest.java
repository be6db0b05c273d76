package dev.patrol.plugin.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StatusExpectationTest {

    private static StatusExpectation parse(String... entries) {
        List<String> problems = new ArrayList<>();
        StatusExpectation expectation = StatusExpectation.parse(List.of(entries), problems);
        assertThat(problems).isEmpty();
        return expectation;
    }

    @ParameterizedTest(name = "{0} accepts {1}: {2}")
    @CsvSource({
        "2xx, 200, true",
        "2xx, 299, true",
        "2xx, 300, false",
        "2xx, 199, false",
        "3XX, 301, true",
        "404, 404, true",
        "404, 403, false",
        "5xx, 503, true",
    })
    void acceptsCodesAndClasses(String entry, int status, boolean accepted) {
        assertThat(parse(entry).accepts(status)).isEqualTo(accepted);
    }

    @Test
    void combinesEntriesAndDescribesThemAsWritten() {
        StatusExpectation expectation = parse("200", "3xx");

        assertThat(expectation.accepts(200)).isTrue();
        assertThat(expectation.accepts(302)).isTrue();
        assertThat(expectation.accepts(201)).isFalse();
        assertThat(expectation).hasToString("200, 3xx");
    }

    @Test
    void reportsEachBadEntry() {
        List<String> problems = new ArrayList<>();

        assertThat(StatusExpectation.parse(List.of("200", "6xx", "abc", "99"), problems))
                .isNull();
        assertThat(problems).hasSize(3).allMatch(problem -> problem.startsWith("expected status codes"));
    }

    @Test
    void rejectsAnEmptyList() {
        List<String> problems = new ArrayList<>();

        assertThat(StatusExpectation.parse(List.of(), problems)).isNull();
        assertThat(problems).singleElement().asString().contains("at least one");
    }
}
