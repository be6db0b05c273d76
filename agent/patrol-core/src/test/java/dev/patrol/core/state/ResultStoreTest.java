package dev.patrol.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.patrol.api.CheckDefinition;
import dev.patrol.api.CheckResult;
import dev.patrol.api.Status;
import dev.patrol.api.Target;
import dev.patrol.core.config.CheckSettings;
import dev.patrol.core.config.SeriesDefinition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A reload keeps the state of every pair whose series is unchanged, starts changed ones over and drops the rest. */
class ResultStoreTest {
    private static final CheckDefinition OK = (t, c) -> CompletableFuture.completedFuture(CheckResult.ok("ok"));
    private static final Target WEB_1 =
            new Target("web-1", "10.0.0.11", 22, Map.of("role", "web"), ConfigFactory.empty());
    private static final Target WEB_2 = Target.of("web-2", "10.0.0.12", 22);

    private final ResultStore store = new ResultStore();

    private static CheckSettings check(String url, Duration interval, String cron, Map<String, String> labels) {
        return new CheckSettings(
                "home",
                "http",
                OK,
                interval,
                cron,
                Duration.ofSeconds(5),
                0,
                Duration.ofSeconds(1),
                List.of(WEB_1, WEB_2),
                labels,
                List.of("role"),
                ConfigFactory.parseMap(Map.of("url", url)));
    }

    private static CheckSettings check(String url) {
        return check(url, Duration.ofSeconds(30), null, Map.of("team", "shop"));
    }

    private SeriesState state(String target) {
        return store.get(new SeriesKey("home", target)).orElseThrow();
    }

    private static RunRecord run(String target) {
        return new RunRecord("home", target, Outcome.OK, CheckResult.ok("ok"), Instant.EPOCH, Duration.ofMillis(5), 1);
    }

    @Test
    void aPairCarriesItsLabelsIntervalAndTimeout() {
        store.apply(SeriesDefinition.of(List.of(check("http://a/"))), key -> Optional.empty());

        assertThat(state("web-1").labels()).isEqualTo(Map.of("team", "shop", "role", "web"));
        assertThat(state("web-2").labels()).isEqualTo(Map.of("team", "shop", "role", ""));
        assertThat(state("web-1").interval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(state("web-1").timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(state("web-1").type()).isEqualTo("http");
    }

    @Test
    void aCronCheckHasNoInterval() {
        store.apply(
                SeriesDefinition.of(List.of(check("http://a/", Duration.ofSeconds(30), "0 0 * * * ?", Map.of()))),
                key -> Optional.empty());

        assertThat(state("web-1").interval()).isZero();
    }

    @Test
    void anUnchangedSeriesKeepsItsStateAndRunsTheNewDefinition() {
        store.apply(SeriesDefinition.of(List.of(check("http://a/"))), key -> Optional.empty());
        SeriesState before = state("web-1");
        before.record(run("web-1"));

        CheckSettings reloaded = check("http://b/");
        store.apply(SeriesDefinition.of(List.of(reloaded)), key -> Optional.empty());

        assertThat(state("web-1")).isSameAs(before);
        assertThat(before.runs(Outcome.OK)).isEqualTo(1);
        assertThat(before.definition().orElseThrow().check()).isSameAs(reloaded);
    }

    @Test
    void changedLabelsOrTimingStartTheSeriesOver() {
        store.apply(SeriesDefinition.of(List.of(check("http://a/"))), key -> Optional.empty());
        SeriesState before = state("web-1");

        store.apply(
                SeriesDefinition.of(List.of(check("http://a/", Duration.ofSeconds(30), null, Map.of("team", "ops")))),
                key -> Optional.empty());
        SeriesState relabelled = state("web-1");
        store.apply(
                SeriesDefinition.of(List.of(check("http://a/", Duration.ofSeconds(60), null, Map.of("team", "ops")))),
                key -> Optional.empty());

        assertThat(relabelled).isNotSameAs(before);
        assertThat(relabelled.labels()).containsEntry("team", "ops");
        assertThat(state("web-1")).isNotSameAs(relabelled);
        assertThat(state("web-1").interval()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void removedPairsAreDroppedAndTheLivePairsReturned() {
        CheckSettings both = check("http://a/");
        store.apply(SeriesDefinition.of(List.of(both)), key -> Optional.empty());
        CheckSettings one = new CheckSettings(
                both.name(),
                both.type(),
                OK,
                both.interval(),
                null,
                both.timeout(),
                0,
                both.retryInterval(),
                List.of(WEB_2),
                both.labels(),
                both.exposeLabels(),
                both.block());

        assertThat(store.apply(SeriesDefinition.of(List.of(one)), key -> Optional.empty()))
                .containsExactly(new SeriesKey("home", "web-2"));
        assertThat(store.all()).extracting(SeriesState::key).containsExactly(new SeriesKey("home", "web-2"));
    }

    @Test
    void everyPairGetsTheSoftHardStateItHadBefore() {
        PairState hard = new PairState(Status.CRITICAL, StateType.HARD, 3, 3, Status.CRITICAL, List.of(), false, 0);
        SeriesKey web1 = new SeriesKey("home", "web-1");

        store.apply(
                SeriesDefinition.of(List.of(check("http://a/"))),
                key -> key.equals(web1) ? Optional.of(hard) : Optional.empty());

        assertThat(state("web-1").hardSoft()).contains(hard);
        assertThat(state("web-2").hardSoft()).isEmpty();
    }
}
