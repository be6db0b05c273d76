package dev.patrol.plugin.http;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Reads a response body without ever holding more than {@code cap} bytes of it: counts every byte, keeps the first
 * {@code cap} only when asked to, and cancels the subscription (which makes the JDK client drop the connection) as
 * soon as the body passes the cap. A 1 GB body therefore costs at most {@code cap} bytes of heap and stops arriving.
 *
 * <p>With {@code failFast}, a body whose declared {@code Content-Length} is over the cap is refused before its first
 * byte is read.
 *
 * <p>One instance per response. The JDK client signals it serially, as Reactive Streams requires; the result is
 * published through {@link #getBody()}.
 */
final class CappedBodySubscriber implements HttpResponse.BodySubscriber<CappedBody> {
    private static final int INITIAL_BUFFER = 8 * 1024;

    private final long cap;
    private final boolean retain;
    private final long declaredLength;
    private final boolean failFast;
    private final CompletableFuture<CappedBody> result = new CompletableFuture<>();
    private Flow.Subscription subscription;
    private byte[] buffer = CappedBody.NONE;
    private int length;
    private long received;
    private boolean done;

    /**
     * @param cap the most bytes to accept
     * @param retain keep the first {@code cap} bytes (for regexes and JSON samples); otherwise only count
     * @param declaredLength the {@code Content-Length}, or -1 when unknown
     * @param failFast refuse at once when {@code declaredLength} is over the cap
     */
    CappedBodySubscriber(long cap, boolean retain, long declaredLength, boolean failFast) {
        this.cap = cap;
        this.retain = retain;
        this.declaredLength = declaredLength;
        this.failFast = failFast;
    }

    @Override
    public void onSubscribe(Flow.Subscription newSubscription) {
        this.subscription = newSubscription;
        if (failFast && declaredLength > cap) {
            finish(true);
            return;
        }
        newSubscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (done) {
            return;
        }
        for (ByteBuffer item : items) {
            int available = item.remaining();
            if (retain && length < cap) {
                int take = (int) Math.min(available, cap - length);
                ensureCapacity(length + take);
                item.get(buffer, length, take);
                length += take;
            }
            received += available;
            if (received > cap) {
                finish(true);
                return;
            }
        }
    }

    @Override
    public void onError(Throwable error) {
        if (!done) {
            done = true;
            result.completeExceptionally(error);
        }
    }

    @Override
    public void onComplete() {
        if (!done) {
            finish(false);
        }
    }

    @Override
    public CompletionStage<CappedBody> getBody() {
        return result;
    }

    /** The bytes of heap the retained body occupies now; never more than the cap. */
    int retainedCapacity() {
        return buffer.length;
    }

    private void finish(boolean overCap) {
        done = true;
        // The result first: over HTTP/2, cancelling resets the stream, and the client fails an exchange whose body is
        // not complete yet ("Stream N cancelled") instead of delivering what was read.
        result.complete(new CappedBody(buffer, length, received, overCap));
        if (overCap) {
            subscription.cancel();
        }
    }

    private void ensureCapacity(int needed) {
        if (needed <= buffer.length) {
            return;
        }
        long grown = Math.max(needed, Math.max(INITIAL_BUFFER, (long) buffer.length * 2));
        byte[] larger = new byte[(int) Math.min(grown, cap)];
        System.arraycopy(buffer, 0, larger, 0, length);
        buffer = larger;
    }
}
