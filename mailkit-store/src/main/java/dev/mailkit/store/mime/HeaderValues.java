package dev.mailkit.store.mime;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Text helpers for header values. */
final class HeaderValues {
    private HeaderValues() {
    }

    /** Bytes as text: UTF-8 if they are valid UTF-8 (ASCII is), otherwise ISO-8859-1. */
    static String decode(byte[] b, int off, int len) {
        boolean ascii = true;
        for (int i = off; i < off + len; i++) {
            if (b[i] < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new String(b, off, len, StandardCharsets.ISO_8859_1);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, off, len))
                    .toString();
        } catch (CharacterCodingException e) {
            return new String(b, off, len, StandardCharsets.ISO_8859_1);
        }
    }

    /** The first token of a value (comments skipped), or null. */
    static String token(String value) {
        return new Tokenizer(value).token();
    }

    /** A Content-Language value as a list of tags. */
    static List<String> languages(String value) {
        if (value == null) {
            return List.of();
        }
        Tokenizer t = new Tokenizer(value);
        List<String> out = new ArrayList<>(2);
        while (true) {
            String tag = t.token();
            if (tag != null) {
                out.add(tag);
            }
            if (!t.skip(',')) {
                if (!t.skipJunk()) {
                    return out;
                }
            }
        }
    }
}
