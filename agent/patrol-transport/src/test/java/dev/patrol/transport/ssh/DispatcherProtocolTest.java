package dev.patrol.transport.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The dispatcher's script and the framing of its requests and replies, without a server. */
class DispatcherProtocolTest {

    @Test
    void theScriptIsOneLineThatAnyLoginShellPassesOnInSingleQuotes() {
        assertThat(DispatcherScript.SCRIPT).doesNotContain("\n", "'", "\t").contains("PATROL-DISPATCH 1");
        assertThat(DispatcherScript.singleQuotable(DispatcherScript.SCRIPT)).isTrue();
        assertThat(DispatcherScript.COMMAND).startsWith("/bin/sh -c '").endsWith("'");
        for (String bad : List.of("it's", "a\nb", "echo !!", "a\\\\b", "a\\'b")) {
            assertThat(DispatcherScript.singleQuotable(bad)).as(bad).isFalse();
        }
    }

    @Test
    void requestsCarryTheCommandAsCountedLines() {
        assertThat(new String(DispatcherScript.request(7, "echo a\necho b", 100), StandardCharsets.UTF_8))
                .isEqualTo("R 7 2 100\necho a\necho b\n");
        assertThat(new String(DispatcherScript.kill(7), StandardCharsets.US_ASCII))
                .isEqualTo("K 7\n");
        assertThat(DispatcherScript.canSend("a\0b")).isFalse();
    }

    @Test
    void repliesAreSplitIntoFramesWhereverTheBytesBreak() {
        byte[] stream = ("PATROL-DISPATCH 1\nD 1 3 5 2 5 2\nhello\nhk 9\nD 2 0 0 0 0 0\nD 3 1 10 0 4 0\n\n\n\nxk 3\n")
                .getBytes(StandardCharsets.US_ASCII);
        for (int chunk = 1; chunk <= stream.length; chunk++) {
            List<String> events = new ArrayList<>();
            DispatcherReplies replies = new DispatcherReplies(recorder(events));
            for (int at = 0; at < stream.length; at += chunk) {
                replies.write(stream, at, Math.min(chunk, stream.length - at));
            }
            assertThat(String.join(",", events))
                    .as("in chunks of " + chunk)
                    .isEqualTo("banner PATROL-DISPATCH 1,reply 1 3 5 2,out 1 hello,err 1 \nh,end 1,killed 9,"
                            + "reply 2 0 0 0,end 2,reply 3 1 10 0,out 3 \n\n\nx,end 3,killed 3");
        }
    }

    @Test
    void aLineOutsideTheProtocolStopsTheReading() {
        List<String> events = new ArrayList<>();
        DispatcherReplies replies = new DispatcherReplies(recorder(events));
        byte[] stream = "PATROL-DISPATCH 1\nbash: warning\nD 1 0 0 0 0 0\n".getBytes(StandardCharsets.US_ASCII);
        replies.write(stream, 0, stream.length);
        assertThat(events).containsExactly("banner PATROL-DISPATCH 1", "garbage bash: warning");
    }

    private static DispatcherReplies.Listener recorder(List<String> events) {
        return new DispatcherReplies.Listener() {
            @Override
            public void banner(String line) {
                events.add("banner " + line);
            }

            @Override
            public void reply(long id, int status, long out, long err) {
                events.add("reply " + id + " " + status + " " + out + " " + err);
            }

            @Override
            public void body(long id, boolean stderr, byte[] data, int offset, int length) {
                String text = new String(data, offset, length, StandardCharsets.US_ASCII);
                String last = events.get(events.size() - 1);
                String prefix = (stderr ? "err " : "out ") + id + " ";
                if (last.startsWith(prefix)) {
                    events.set(events.size() - 1, last + text);
                } else {
                    events.add(prefix + text);
                }
            }

            @Override
            public void replyEnd(long id) {
                events.add("end " + id);
            }

            @Override
            public void killHandled(long id) {
                events.add("killed " + id);
            }

            @Override
            public void garbage(String line) {
                events.add("garbage " + line);
            }
        };
    }
}
