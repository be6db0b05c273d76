package dev.patrol.transport.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class CallerStartTest {
    private final List<Runnable> handedToPool = new ArrayList<>();
    private final CallerStart executor = new CallerStart(handedToPool::add);

    @Test
    void aTaskSubmittedWhileSendingRunsOnTheSendersThread() {
        List<String> ranOn = new CopyOnWriteArrayList<>();

        String sent = CallerStart.during(() -> {
            executor.execute(() -> ranOn.add(Thread.currentThread().getName()));
            return "sent";
        });

        assertThat(sent).isEqualTo("sent");
        assertThat(ranOn).containsExactly(Thread.currentThread().getName());
        assertThat(handedToPool).isEmpty();
    }

    @Test
    void everyOtherTaskGoesToThePool() {
        CallerStart.during(() -> CallerStart.during(() -> "nested sends keep the mark until the outer one ends"));
        List<String> ranOn = new CopyOnWriteArrayList<>();

        executor.execute(() -> ranOn.add("here"));

        assertThat(ranOn).isEmpty();
        assertThat(handedToPool).hasSize(1);
    }
}
