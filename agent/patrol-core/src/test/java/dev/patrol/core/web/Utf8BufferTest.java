package dev.patrol.core.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The scrape's writer encodes exactly as the JDK does, however the text is cut into calls. */
class Utf8BufferTest {
    private static final String MIXED = "patrol_up{target=\"web-1\",city=\"Zürich\",name=\"東京\",emoji=\"😀\"} 1\n";

    @Test
    void wholeStringsAreEncodedAsTheJdkEncodesThem() {
        Utf8Buffer buffer = new Utf8Buffer(4);
        buffer.write(MIXED);

        assertThat(bytes(buffer)).isEqualTo(MIXED.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void oneCharacterAtATimeKeepsSurrogatePairsTogether() {
        Utf8Buffer buffer = new Utf8Buffer(4);
        for (int i = 0; i < MIXED.length(); i++) {
            buffer.append(MIXED.charAt(i)); // as simpleclient writes label values
        }
        buffer.write(MIXED.toCharArray(), 0, MIXED.length());

        assertThat(bytes(buffer)).isEqualTo((MIXED + MIXED).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void loneSurrogatesBecomeQuestionMarksAsWithTheJdk() {
        String broken = "a\uD83Db\uDE00c\uD83D";
        Utf8Buffer buffer = new Utf8Buffer(4);
        buffer.append(broken);

        assertThat(bytes(buffer))
                .isEqualTo(broken.getBytes(StandardCharsets.UTF_8))
                .containsExactly('a', '?', 'b', '?', 'c', '?');
    }

    @Test
    void growsPastItsInitialCapacity() {
        Utf8Buffer buffer = new Utf8Buffer(16);
        String line = "x".repeat(1000) + "é\n";
        for (int i = 0; i < 100; i++) {
            buffer.write(line);
        }

        assertThat(buffer.size()).isEqualTo(100 * 1003);
        assertThat(bytes(buffer)).isEqualTo(line.repeat(100).getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] bytes(Utf8Buffer buffer) {
        ByteBuffer out = buffer.bytes();
        byte[] copy = new byte[out.remaining()];
        out.get(copy);
        return copy;
    }
}
