package dev.mailkit.relay.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of the relay's SMTP reply reader: whatever a remote server sends. Properties: replies are
 * read until an {@link IOException} (malformed, or the end of the stream), never another exception; each reply has one
 * code from 200 to 599 on every line, at most 100 lines, lines of at most 4096 characters before escaping and no
 * control character after it; reads in pieces of any size give the same replies; and where every line is a short,
 * printable, well-formed reply line, the replies are exactly those of a reference that splits the text at LF.
 */
class ReplyReaderFuzzTest {
    @FuzzTest
    void replies(byte[] input) {
        List<Reply> whole = read(new ByteArrayInputStream(input));
        int step = input.length == 0 ? 1 : 1 + (input[0] & 0x0F);
        List<Reply> pieces = read(new FilterInputStream(new ByteArrayInputStream(input)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, step));
            }
        });
        assertThat(texts(pieces)).isEqualTo(texts(whole));
        for (Reply r : whole) {
            assertThat(r.code).isBetween(200, 599);
            assertThat(r.lines).isNotEmpty().hasSizeLessThanOrEqualTo(100);
            for (String l : r.lines) {
                assertThat(l).startsWith(Integer.toString(r.code));
                assertThat(l.chars().noneMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f)).as("%s", l).isTrue();
                assertThat(l.length()).isLessThanOrEqualTo(4096 * 6);
            }
            if (r.code / 100 == 3) {
                assertThat(r.status).as("RFC 3463 has no class 3").isNull();
            } else {
                assertThat(r.status).matches("[245]\\.[0-9]{1,3}\\.[0-9]{1,3}");
            }
        }
        List<List<String>> reference = reference(input);
        if (reference != null) {
            assertThat(texts(whole)).isEqualTo(reference);
        }
    }

    private static List<Reply> read(InputStream in) {
        ReplyReader reader = new ReplyReader("fuzz.test");
        reader.attach(in);
        List<Reply> out = new ArrayList<>();
        try {
            while (true) {
                out.add(reader.read());
            }
        } catch (EOFException e) {
            return out;
        } catch (IOException e) {
            assertThat(e.getMessage()).contains("fuzz.test");
            return out;
        }
    }

    private static List<List<String>> texts(List<Reply> replies) {
        List<List<String>> out = new ArrayList<>();
        for (Reply r : replies) {
            out.add(r.lines);
        }
        return out;
    }

    /** The replies when every line is short printable ASCII in reply form and the input ends with a reply; else null. */
    static List<List<String>> reference(byte[] input) {
        String s = new String(input, StandardCharsets.ISO_8859_1);
        if (!s.endsWith("\n")) {
            return null;
        }
        List<List<String>> out = new ArrayList<>();
        List<String> cur = new ArrayList<>();
        for (String l : s.substring(0, s.length() - 1).split("\n", -1)) {
            if (l.endsWith("\r")) {
                l = l.substring(0, l.length() - 1);
            }
            if (l.length() > 200 || !l.matches("[2-5][0-9][0-9]([ -][\\x20-\\x7e]*)?")) {
                return null;
            }
            if (!cur.isEmpty() && !cur.get(0).substring(0, 3).equals(l.substring(0, 3))) {
                return null;
            }
            cur.add(l);
            if (l.length() == 3 || l.charAt(3) == ' ') {
                out.add(cur);
                cur = new ArrayList<>();
            } else if (cur.size() >= 100) {
                return null;
            }
        }
        return cur.isEmpty() ? out : null;
    }
}
