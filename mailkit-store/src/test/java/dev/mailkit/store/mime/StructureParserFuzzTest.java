package dev.mailkit.store.mime;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mailkit.core.MessageSource;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of the streaming MIME structure parser. Properties: never an exception; the same structure
 * whether the bytes arrive at once, from a {@link MessageSource}, or in reads of one to 31 bytes (the parser's buffer
 * refills at every boundary); the message size is the input's length; every part's header and body lie inside the
 * message and inside its parent's body, in order; nesting depth and part count stay within the documented bounds; and
 * the cache form round-trips ({@code fromBytes(toBytes())} is equal, and its envelope is the same).
 */
class StructureParserFuzzTest {
    @FuzzTest
    void parse(byte[] input) throws IOException {
        MessageStructure whole = MessageStructure.parse(new ByteArrayInputStream(input));
        int step = input.length == 0 ? 1 : 1 + (input[0] & 0x1F);
        MessageStructure chunked = MessageStructure.parse(new Trickle(new ByteArrayInputStream(input), step));
        assertThat(chunked).as("parsed in reads of %d bytes", step).isEqualTo(whole);
        assertThat(MessageStructure.parse(MessageSource.of(input))).isEqualTo(whole);
        assertThat(whole.size()).isEqualTo(input.length);
        int[] parts = {0};
        check(whole.body(), 0, input.length, 0, parts);
        assertThat(parts[0]).isLessThanOrEqualTo(10_001);
        byte[] cached = whole.toBytes();
        assertThat(MessageStructure.isCurrentFormat(cached)).isTrue();
        assertThat(MessageStructure.fromBytes(cached)).isEqualTo(whole);
        assertThat(MessageStructure.envelopeFromBytes(cached)).isEqualTo(whole.envelope());
    }

    private static void check(MimePart p, long from, long to, int depth, int[] parts) {
        parts[0]++;
        assertThat(depth).isLessThanOrEqualTo(101);
        assertThat(p.headerOffset()).isBetween(from, to);
        assertThat(p.headerOffset() + p.headerLength()).isBetween(p.headerOffset(), to);
        assertThat(p.bodyOffset()).isBetween(p.headerOffset() + p.headerLength(), to);
        assertThat(p.bodyOffset() + p.bodyLength()).isBetween(p.bodyOffset(), to);
        assertThat(p.bodyLines()).isBetween(0L, p.bodyLength() + 1);
        long childFrom = p.bodyOffset();
        for (MimePart c : p.children()) {
            check(c, childFrom, p.bodyOffset() + p.bodyLength(), depth + 1, parts);
            childFrom = c.bodyOffset() + c.bodyLength();
        }
        if (p.message() != null) {
            // an embedded message's header keeps its empty line even when that line break comes right before the
            // enclosing boundary, and then the part's body (and every enclosing part ending there) keeps it too
            check(p.message().body(), p.bodyOffset(), p.bodyOffset() + p.bodyLength(), depth + 1, parts);
        }
    }

    /** Short reads. */
    static final class Trickle extends FilterInputStream {
        private final int step;

        Trickle(InputStream in, int step) {
            super(in);
            this.step = step;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return super.read(b, off, Math.min(len, step));
        }
    }
}
