package dev.patrol.core.config;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigOriginFactory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Refuses config files that are not UTF-8. Typesafe Config decodes them leniently, turning each bad byte into U+FFFD,
 * which can make a key no one wrote and hide a whole block ("configuration OK, 0 checks"). Stateless.
 */
final class Utf8Files {

    private Utf8Files() {}

    /**
     * @throws NotUtf8 at the line of the first byte that is not valid UTF-8; a file that cannot be read passes, as
     *     the parser reports that better
     */
    static void check(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException | OutOfMemoryError e) {
            return;
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            decoder.decode(ByteBuffer.wrap(bytes));
        } catch (CharacterCodingException e) {
            throw new NotUtf8(file, bytes, firstBadByte(bytes));
        }
    }

    /** The offset of the first byte that starts no valid UTF-8 sequence. */
    private static int firstBadByte(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(Math.max(16, bytes.length));
        CoderResult result = decoder.decode(in, out, true);
        return result.isError() ? in.position() : bytes.length;
    }

    /** A file with bytes that are not UTF-8, at the line of the first. */
    static final class NotUtf8 extends ConfigException.IO {
        private static final long serialVersionUID = 1L;

        private final int badByte;

        NotUtf8(Path file, byte[] bytes, int offset) {
            super(ConfigOriginFactory.newFile(file.toString()).withLineNumber(lineOf(bytes, offset)), "not UTF-8");
            this.badByte = offset < bytes.length ? bytes[offset] & 0xff : -1;
        }

        String expected() {
            String what = badByte < 0 ? "a truncated character at the end" : String.format("byte 0x%02X", badByte);
            return "expected UTF-8 text, " + what + " is not valid UTF-8 (save the file as UTF-8)";
        }

        private static int lineOf(byte[] bytes, int offset) {
            int line = 1;
            for (int i = 0; i < Math.min(offset, bytes.length); i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            return line;
        }
    }
}
