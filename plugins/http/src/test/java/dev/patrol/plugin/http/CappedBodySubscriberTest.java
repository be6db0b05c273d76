package dev.patrol.plugin.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;

class CappedBodySubscriberTest {

    /** Records what the subscriber asks of its publisher. */
    private static final class RecordingSubscription implements Flow.Subscription {
        long requested;
        boolean cancelled;

        @Override
        public void request(long n) {
            requested += n;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    private static List<ByteBuffer> chunk(int size) {
        return List.of(ByteBuffer.wrap(new byte[size]));
    }

    private static CappedBody body(CappedBodySubscriber subscriber) {
        CompletableFuture<CappedBody> result = subscriber.getBody().toCompletableFuture();
        assertThat(result).isDone();
        return result.join();
    }

    @Test
    void keepsAWholeBodyUnderTheCap() {
        CappedBodySubscriber subscriber = new CappedBodySubscriber(100, true, -1, true);
        RecordingSubscription subscription = new RecordingSubscription();
        subscriber.onSubscribe(subscription);

        subscriber.onNext(List.of(ByteBuffer.wrap("hello ".getBytes(StandardCharsets.UTF_8))));
        subscriber.onNext(List.of(ByteBuffer.wrap("world".getBytes(StandardCharsets.UTF_8))));
        subscriber.onComplete();

        CappedBody body = body(subscriber);
        assertThat(body.text(StandardCharsets.UTF_8)).isEqualTo("hello world");
        assertThat(body.received()).isEqualTo(11);
        assertThat(body.overCap()).isFalse();
        assertThat(subscription.cancelled).isFalse();
    }

    @Test
    void bodyOfExactlyTheCapIsNotTooLarge() {
        CappedBodySubscriber subscriber = new CappedBodySubscriber(10, true, -1, true);
        subscriber.onSubscribe(new RecordingSubscription());
        subscriber.onNext(chunk(10));
        subscriber.onComplete();

        assertThat(body(subscriber).overCap()).isFalse();
        assertThat(body(subscriber).length()).isEqualTo(10);
    }

    @Test
    void stopsAndCancelsOncePastTheCapKeepingAtMostTheCap() {
        CappedBodySubscriber subscriber = new CappedBodySubscriber(1000, true, -1, true);
        RecordingSubscription subscription = new RecordingSubscription();
        subscriber.onSubscribe(subscription);

        for (int i = 0; i < 10 && !subscription.cancelled; i++) {
            subscriber.onNext(chunk(300));
        }
        subscriber.onNext(chunk(300)); // late delivery after cancel is ignored

        CappedBody body = body(subscriber);
        assertThat(subscription.cancelled).isTrue();
        assertThat(body.overCap()).isTrue();
        assertThat(body.length()).isEqualTo(1000);
        assertThat(body.received()).isEqualTo(1200);
        assertThat(subscriber.retainedCapacity()).isLessThanOrEqualTo(1000);
    }

    @Test
    void onlyCountsWhenTheBodyIsNotNeeded() {
        CappedBodySubscriber subscriber = new CappedBodySubscriber(1 << 20, false, -1, true);
        subscriber.onSubscribe(new RecordingSubscription());
        subscriber.onNext(chunk(4096));
        subscriber.onComplete();

        assertThat(body(subscriber).received()).isEqualTo(4096);
        assertThat(body(subscriber).length()).isZero();
        assertThat(subscriber.retainedCapacity()).isZero();
    }

    @Test
    void refusesADeclaredLengthOverTheCapBeforeReading() {
        CappedBodySubscriber subscriber = new CappedBodySubscriber(1000, true, 1L << 30, true);
        RecordingSubscription subscription = new RecordingSubscription();
        subscriber.onSubscribe(subscription);

        assertThat(subscription.cancelled).isTrue();
        assertThat(subscription.requested).isZero();
        assertThat(body(subscriber).overCap()).isTrue();
        assertThat(body(subscriber).received()).isZero();
    }

    @Test
    void readsUpToTheCapOfADeclaredLargeBodyWhenTruncating() {
        CappedBodySubscriber subscriber = new CappedBodySubscriber(1000, true, 1L << 30, false);
        RecordingSubscription subscription = new RecordingSubscription();
        subscriber.onSubscribe(subscription);
        subscriber.onNext(chunk(1500));

        assertThat(subscription.requested).isPositive();
        assertThat(body(subscriber).length()).isEqualTo(1000);
        assertThat(body(subscriber).overCap()).isTrue();
    }

    @Test
    void passesOnAnError() {
        CappedBodySubscriber subscriber = new CappedBodySubscriber(1000, true, -1, true);
        subscriber.onSubscribe(new RecordingSubscription());
        subscriber.onError(new IOException("reset"));

        assertThat(subscriber.getBody().toCompletableFuture()).isCompletedExceptionally();
    }
}
