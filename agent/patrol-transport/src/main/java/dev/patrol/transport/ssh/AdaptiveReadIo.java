package dev.patrol.transport.ssh;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import org.apache.sshd.common.FactoryManager;
import org.apache.sshd.common.PropertyResolver;
import org.apache.sshd.common.io.IoHandler;
import org.apache.sshd.common.io.IoServiceFactory;
import org.apache.sshd.common.io.nio2.Nio2CompletionHandler;
import org.apache.sshd.common.io.nio2.Nio2Service;
import org.apache.sshd.common.io.nio2.Nio2ServiceFactory;
import org.apache.sshd.common.io.nio2.Nio2ServiceFactoryFactory;
import org.apache.sshd.common.io.nio2.Nio2Session;
import org.apache.sshd.common.util.Readable;
import org.apache.sshd.common.util.threads.CloseableExecutorService;

/**
 * MINA's NIO2 I/O backend, with connections whose read buffer follows the traffic ({@link ReadBufferSizing}) instead
 * of one fixed-size buffer held for the connection's life. Everything else is MINA's own: the same channel group,
 * executors and read cycle; only the buffer handed to the next read changes.
 */
final class AdaptiveReadIo extends Nio2ServiceFactoryFactory {
    private final int smallBytes;
    private final int largeBytes;

    AdaptiveReadIo(int smallBytes, int largeBytes) {
        new ReadBufferSizing(smallBytes, largeBytes); // validates the pair here rather than at the first connect
        this.smallBytes = smallBytes;
        this.largeBytes = largeBytes;
    }

    @Override
    public IoServiceFactory create(FactoryManager manager) {
        return new Factory(manager, newExecutor(), newExecutor(), smallBytes, largeBytes);
    }

    /** MINA's NIO2 service factory, creating {@link Connection}s. */
    static final class Factory extends Nio2ServiceFactory {
        private final int smallBytes;
        private final int largeBytes;

        Factory(
                FactoryManager manager,
                CloseableExecutorService io,
                CloseableExecutorService resume,
                int smallBytes,
                int largeBytes) {
            super(manager, io, resume);
            this.smallBytes = smallBytes;
            this.largeBytes = largeBytes;
        }

        @Override
        public Nio2Session createSession(
                Nio2Service service, IoHandler handler, AsynchronousSocketChannel socket, SocketAddress address)
                throws Throwable {
            return new Connection(
                    service,
                    getFactoryManager(),
                    handler,
                    socket,
                    address,
                    new ReadBufferSizing(smallBytes, largeBytes));
        }
    }

    /**
     * A MINA session whose next read may use a new buffer. The data of a completed read is handed to MINA (which
     * copies it into the session's decoder) before the next read starts, so swapping the buffer between the two loses
     * nothing.
     */
    static final class Connection extends Nio2Session {
        private final ReadBufferSizing sizing;
        /** The capacity the next read should use; written after a read completes, read when the next one starts. */
        private volatile int nextCapacity;
        /** The capacity of the buffer of the read in progress. */
        private volatile int capacity;
        /** How many times the buffer grew. */
        private volatile int growths;

        Connection(
                Nio2Service service,
                PropertyResolver properties,
                IoHandler handler,
                AsynchronousSocketChannel socket,
                SocketAddress acceptance,
                ReadBufferSizing sizing)
                throws IOException {
            super(service, properties, handler, socket, acceptance);
            this.sizing = sizing;
        }

        @Override
        public void startReading() {
            startReading(sizing.initial());
        }

        @Override
        protected void handleReadCycleCompletion(
                ByteBuffer buffer,
                Readable reader,
                Nio2CompletionHandler<Integer, Object> completion,
                Integer result,
                Object attachment) {
            if (result != null && result >= 0) {
                nextCapacity = sizing.afterRead(buffer.capacity(), result);
            }
            super.handleReadCycleCompletion(buffer, reader, completion, result, attachment);
        }

        @Override
        protected void doReadCycle(ByteBuffer buffer, Nio2CompletionHandler<Integer, Object> completion) {
            int wanted = nextCapacity;
            if (wanted > 0 && wanted != buffer.capacity()) {
                nextCapacity = 0;
                if (wanted > buffer.capacity()) {
                    growths++; // only this connection's read cycle writes it
                }
                ByteBuffer resized = ByteBuffer.allocate(wanted);
                // MINA builds the completion handler for the new buffer and comes back here with it.
                doReadCycle(resized, Readable.readable(resized));
                return;
            }
            capacity = buffer.capacity();
            super.doReadCycle(buffer, completion);
        }

        /** The capacity of the buffer of the read in progress (for tests and diagnostics). */
        int readCapacity() {
            return capacity;
        }

        /** How many times this connection's read buffer grew (for tests and diagnostics). */
        int growths() {
            return growths;
        }
    }
}
