package dev.mailkit.smtp.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of the DATA reader against a reference written for clarity, not speed: the content ends at
 * the first real CRLF "." CRLF (never at a smuggling terminator such as LF "." LF), a leading dot is removed from a
 * line that starts with one (unless a bare CR or LF follows it), bare CR and LF are counted and, when normalising,
 * become CRLF. Properties: the same content, size, bare count and limit flags as the reference; the bytes after the
 * terminator (pipelined commands) stay in the stream; an input without a terminator is an {@link EOFException}; the
 * output never exceeds the size limit by more than one chunk. Short reads of fuzzer-chosen sizes exercise the reader's
 * buffer boundaries. Input layout: flags, size limit, line limit, read step, then the client's bytes.
 */
class DataReaderFuzzTest {
    @FuzzTest
    void data(byte[] input) throws IOException {
        if (input.length < 4) {
            return;
        }
        boolean normalize = (input[0] & 1) != 0;
        long maxSize = (input[1] & 0xFF) == 0 ? Long.MAX_VALUE : (input[1] & 0xFF) * 8L;
        int maxLine = input[2] & 0x7F;
        int step = input[3] & 0x1F;
        byte[] wire = Arrays.copyOfRange(input, 4, input.length);
        Reference ref = Reference.of(wire, normalize);

        DataReader reader = new DataReader(maxSize, maxLine, normalize);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BufferedInputStream in = new BufferedInputStream(new FuzzInput(new ByteArrayInputStream(wire), step));
        try {
            reader.read(in, out);
        } catch (EOFException e) {
            assertThat(ref.end).as("EOF, but the input has a terminator").isLessThan(0);
            return;
        }
        assertThat(ref.end).as("a terminator was found where the reference sees none").isGreaterThanOrEqualTo(0);
        assertThat(in.readAllBytes()).as("the bytes after the terminator").isEqualTo(
                Arrays.copyOfRange(wire, ref.end, wire.length));
        assertThat(reader.size()).isEqualTo(ref.size);
        assertThat(reader.bareCrCount() + reader.bareLfCount()).isEqualTo(ref.bare);
        assertThat(reader.isOversize()).isEqualTo(ref.size > maxSize);
        assertThat(reader.isLineTooLong()).isEqualTo(maxLine > 0 && ref.longestLine > maxLine);
        assertThat((long) out.size()).isLessThanOrEqualTo(Math.min(ref.size, maxSize == Long.MAX_VALUE ? ref.size
                : maxSize + 2 * 2048 + 64));
        if (!reader.isOversize() && !reader.isLineTooLong() && (normalize || ref.bare == 0)) {
            assertThat(out.toByteArray()).isEqualTo(ref.content);
            assertThat(reader.limits().refusal()).isNull();
        } else {
            assertThat(reader.limits().refusal()).isNotNull();
        }
    }

    /** The reference reader: lines split at CRLF only. */
    static final class Reference {
        int end = -1;
        long size;
        int bare;
        int longestLine;
        byte[] content;

        static Reference of(byte[] in, boolean normalize) {
            Reference r = new Reference();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int i = 0;
            while (true) {
                int j = crlf(in, i);
                if (j < 0) {
                    return r;
                }
                if (j == i + 1 && in[i] == '.') {
                    r.end = j + 2;
                    r.content = out.toByteArray();
                    r.size = out.size() + (normalize ? 0 : 0);
                    if (!normalize) {
                        r.size = out.size();
                    }
                    return r;
                }
                int s = i;
                if (j > i && in[i] == '.') {
                    boolean bareAfterDot = j > i + 1 && (in[i + 1] == '\r' || in[i + 1] == '\n');
                    if (bareAfterDot) {
                        out.write('.'); // kept, and (as the reader does) not counted in the line's length
                    }
                    s++;
                }
                int segment = 0;
                for (int k = s; k < j; k++) {
                    byte b = in[k];
                    if (b == '\r' || b == '\n') {
                        r.bare++;
                        r.longestLine = Math.max(r.longestLine, segment);
                        segment = 0;
                        if (normalize) {
                            out.write('\r');
                            out.write('\n');
                        }
                    } else {
                        out.write(b);
                        segment++;
                    }
                }
                r.longestLine = Math.max(r.longestLine, segment);
                out.write('\r');
                out.write('\n');
                i = j + 2;
            }
        }

        private static int crlf(byte[] b, int from) {
            for (int k = from; k + 1 < b.length; k++) {
                if (b[k] == '\r' && b[k + 1] == '\n') {
                    return k;
                }
            }
            return -1;
        }
    }
}
