package dev.mailkit.smtp.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of the BDAT reader against a reference: the chunks' bytes concatenated, with a CR not
 * followed by LF and an LF not preceded by CR counted as bare (across chunk boundaries, and a CR ending the LAST chunk)
 * and, when normalising, turned into CRLF. Properties: exactly the announced octets of each chunk are read (the next
 * bytes, pipelined commands, stay in the stream), the same content, size and limit flags as the reference, and a
 * refused chunk's {@link ChunkReader#discard} reads exactly its octets. Input layout: flags, size limit, line limit,
 * chunk size, read step, then the chunk data and the bytes after it.
 */
class ChunkReaderFuzzTest {
    @FuzzTest
    void chunks(byte[] input) throws IOException {
        if (input.length < 5) {
            return;
        }
        boolean normalize = (input[0] & 1) != 0;
        boolean discardFirst = (input[0] & 2) != 0;
        long maxSize = (input[1] & 0xFF) == 0 ? Long.MAX_VALUE : (input[1] & 0xFF) * 8L;
        int maxLine = input[2] & 0x7F;
        int chunk = 1 + (input[3] & 0x3F);
        int step = input[4] & 0x1F;
        byte[] all = Arrays.copyOfRange(input, 5, input.length);
        int dataLength = all.length - all.length / 5; // the last fifth stays for "the next command"
        InputStream in = new FuzzInput(new ByteArrayInputStream(all), step);
        ChunkReader reader = new ChunkReader(maxSize, maxLine, normalize);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pos = 0;
        int firstDiscarded = 0;
        if (discardFirst && dataLength > 0) {
            firstDiscarded = Math.min(chunk, dataLength);
            ChunkReader.discard(in, firstDiscarded);
            pos = firstDiscarded;
        }
        if (pos == dataLength) {
            reader.read(in, 0, true, out);
        }
        while (pos < dataLength) {
            int n = Math.min(chunk, dataLength - pos);
            reader.read(in, n, pos + n == dataLength, out);
            pos += n;
        }
        assertThat(in.readAllBytes()).as("bytes after the last chunk").isEqualTo(
                Arrays.copyOfRange(all, dataLength, all.length));

        byte[] data = Arrays.copyOfRange(all, firstDiscarded, dataLength);
        ByteArrayOutputStream ref = new ByteArrayOutputStream();
        int bare = 0;
        int segment = 0;
        int longest = 0;
        for (int i = 0; i < data.length; i++) {
            byte b = data[i];
            if (b == '\r' && i + 1 < data.length && data[i + 1] == '\n') {
                ref.write('\r');
                ref.write('\n');
                longest = Math.max(longest, segment);
                segment = 0;
                i++;
            } else if (b == '\r' || b == '\n') {
                bare++;
                longest = Math.max(longest, segment);
                segment = 0;
                if (normalize) {
                    ref.write('\r');
                    ref.write('\n');
                }
            } else {
                ref.write(b);
                segment++;
            }
        }
        longest = Math.max(longest, segment);
        assertThat(reader.size()).isEqualTo(ref.size());
        assertThat(reader.limits().bareCount()).isEqualTo(bare);
        assertThat(reader.isOversize()).isEqualTo(ref.size() > maxSize);
        assertThat(reader.isLineTooLong()).isEqualTo(maxLine > 0 && longest > maxLine);
        if (!reader.isOversize() && !reader.isLineTooLong() && (normalize || bare == 0)) {
            assertThat(out.toByteArray()).isEqualTo(ref.toByteArray());
        } else {
            assertThat(reader.limits().refusal()).isNotNull();
        }
    }
}
