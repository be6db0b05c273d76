package dev.patrol.plugin.logtail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Patterns see each line as UTF-8 text, whether it is matched in place (ASCII) or decoded (anything else). */
class LineSplitterTest {

    @Test
    void asciiAndOtherLinesAreMatchedAlikeAndSpooledAsTheyAre() throws Exception {
        ByteArrayOutputStream input = new ByteArrayOutputStream();
        input.write("GET /a ERROR here\n".getBytes(StandardCharsets.UTF_8));
        input.write("caf\u00e9 error \u00fcber\n".getBytes(StandardCharsets.UTF_8));
        input.write(new byte[] {(byte) 0xff, ' ', 'e', 'r', 'r', 'o', 'r', '\n'});
        input.write("terror is not a word match\n".getBytes(StandardCharsets.UTF_8));
        input.write("\u00e9rror-free line, and an unfinished".getBytes(StandardCharsets.UTF_8));
        byte[] data = input.toByteArray();
        LineSplitter lines = new LineSplitter(
                1024, LinePatterns.of(List.of(Pattern.compile("(?i)\\berror\\b"), Pattern.compile("^[a-z]+ "))));

        lines.accept(data, data.length);

        assertThat(lines.lines).isEqualTo(4);
        assertThat(lines.matches).containsExactly(3, 1);
        String spooled = new String(lines.spooled.toByteArray(), StandardCharsets.ISO_8859_1);
        assertThat(spooled).isEqualTo(new String(data, 0, (int) lines.consumed, StandardCharsets.ISO_8859_1));
        assertThat(spooled).endsWith("terror is not a word match\n");
        assertThat(lines.lastLine).isEqualTo("terror is not a word match");
    }
}
