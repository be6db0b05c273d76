package dev.patrol.transport.ssh;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads the dispatcher's stdout, as MINA hands it over, into framed replies: the banner line, then per command a
 * header {@code D <id> <status> <out> <err> <outsent> <errsent>} followed by {@code outsent} bytes of stdout and
 * {@code errsent} of stderr, and {@code k <id>} when a kill request was handled. See {@code dispatcher.sh}.
 *
 * <p>Not thread-safe on its own: MINA writes one channel's data from one thread at a time; writes are synchronized
 * to make that explicit.
 */
final class DispatcherReplies extends OutputStream {
    private static final int MAX_LINE = 256;

    /** What the replies say; called on MINA's I/O thread. */
    interface Listener {
        void banner(String line);

        void reply(long id, int status, long out, long err);

        void body(long id, boolean stderr, byte[] data, int offset, int length);

        void replyEnd(long id);

        void killHandled(long id);

        /** A line that is not part of the protocol: the dispatcher is not to be trusted any more. */
        void garbage(String line);
    }

    private final Listener listener;
    private final StringBuilder line = new StringBuilder();
    private boolean bannerSeen;
    private boolean broken;
    private long id;
    private long outLeft;
    private long errLeft;

    DispatcherReplies(Listener listener) {
        this.listener = listener;
    }

    @Override
    public synchronized void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] data, int offset, int length) {
        while (length > 0 && !broken) {
            if (outLeft > 0 || errLeft > 0) {
                boolean stderr = outLeft == 0;
                int n = (int) Math.min(length, stderr ? errLeft : outLeft);
                listener.body(id, stderr, data, offset, n);
                if (stderr) {
                    errLeft -= n;
                } else {
                    outLeft -= n;
                }
                offset += n;
                length -= n;
                if (outLeft == 0 && errLeft == 0) {
                    listener.replyEnd(id);
                }
                continue;
            }
            byte b = data[offset++];
            length--;
            if (b == '\n') {
                String text = line.toString();
                line.setLength(0);
                handle(text);
            } else if (line.length() >= MAX_LINE) {
                fail(line + "...");
            } else {
                line.append((char) (b & 0xff));
            }
        }
    }

    private void handle(String text) {
        if (!bannerSeen) {
            bannerSeen = true;
            listener.banner(text);
            return;
        }
        String[] fields = text.split(" ");
        try {
            if (fields.length == 7 && fields[0].equals("D")) {
                id = Long.parseLong(fields[1]);
                listener.reply(id, Integer.parseInt(fields[2]), Long.parseLong(fields[3]), Long.parseLong(fields[4]));
                outLeft = Long.parseLong(fields[5]);
                errLeft = Long.parseLong(fields[6]);
                if (outLeft < 0 || errLeft < 0) {
                    fail(text);
                } else if (outLeft == 0 && errLeft == 0) {
                    listener.replyEnd(id);
                }
                return;
            }
            if (fields.length == 2 && fields[0].equals("k")) {
                listener.killHandled(Long.parseLong(fields[1]));
                return;
            }
        } catch (NumberFormatException e) {
            // falls through to garbage
        }
        fail(text);
    }

    private void fail(String text) {
        broken = true;
        listener.garbage(new String(text.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
    }
}
