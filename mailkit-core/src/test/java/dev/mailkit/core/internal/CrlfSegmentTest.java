package dev.mailkit.core.internal;

import dev.mailkit.core.MessageSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CrlfSegmentTest {
    @TempDir
    Path tmp;

    /** The reference conversion: every LF not preceded by CR becomes CR LF. */
    static byte[] toCrlf(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length + in.length / 8);
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '\n' && (i == 0 || in[i - 1] != '\r')) {
                out.write('\r');
            }
            out.write(in[i]);
        }
        return out.toByteArray();
    }

    private FileChannel file(byte[] content) throws IOException {
        Path f = Files.createTempFile(tmp, "m", ".eml");
        Files.write(f, content);
        return FileChannel.open(f, StandardOpenOption.READ);
    }

    private static byte[] readAll(Segment s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[777];
        long pos = 0;
        int n;
        while ((n = s.read(pos, buf, 0, buf.length)) > 0) {
            out.write(buf, 0, n);
            pos += n;
        }
        return out.toByteArray();
    }

    @Test
    void lfFileReadsAsCrlfWithTheRightLength() throws IOException {
        byte[] lf = "Subject: hi\n\nline one\nline two\n".getBytes(StandardCharsets.US_ASCII);
        try (FileChannel ch = file(lf)) {
            Segment s = Segment.crlfView(ch, 0, lf.length, -1);
            assertThat(s.length()).isEqualTo(lf.length + 4);
            assertThat(new String(readAll(s), StandardCharsets.US_ASCII))
                    .isEqualTo("Subject: hi\r\n\r\nline one\r\nline two\r\n");
            assertThat(CrlfSegment.crlfLength(ch, 0, lf.length)).isEqualTo(lf.length + 4);
        }
    }

    @Test
    void crlfAndLoneCrAreLeftAlone() throws IOException {
        byte[] mixed = "a\r\nb\nc\rd\r\r\ne\n\n".getBytes(StandardCharsets.US_ASCII);
        try (FileChannel ch = file(mixed)) {
            Segment s = Segment.crlfView(ch, 0, mixed.length, -1);
            assertThat(readAll(s)).isEqualTo(toCrlf(mixed));
            assertThat(s.length()).isEqualTo(toCrlf(mixed).length);
        }
    }

    @Test
    void everyPositionAndLengthAgreesWithTheReferenceAcrossBlockBoundaries() throws IOException {
        Random r = new Random(42);
        byte[] raw = new byte[CrlfSegment.BLOCK * 5 + 123];
        for (int i = 0; i < raw.length; i++) {
            int x = r.nextInt(10);
            raw[i] = (byte) (x == 0 ? '\n' : x == 1 ? '\r' : 'a' + x);
        }
        // CR at the end of a block followed by LF at the start of the next, and a bare LF at a block start
        raw[CrlfSegment.BLOCK - 1] = '\r';
        raw[CrlfSegment.BLOCK] = '\n';
        raw[2 * CrlfSegment.BLOCK] = '\n';
        raw[2 * CrlfSegment.BLOCK - 1] = 'x';
        byte[] expected = toCrlf(raw);
        try (FileChannel ch = file(raw)) {
            for (long given : new long[] {-1, expected.length}) {
                Segment s = Segment.crlfView(ch, 0, raw.length, given);
                for (int k = 0; k < 400; k++) {
                    int pos = r.nextInt(expected.length + 5);
                    int len = 1 + r.nextInt(20_000);
                    byte[] got = new byte[len];
                    int n = s.read(pos, got, 0, len);
                    if (pos >= expected.length) {
                        assertThat(n).isEqualTo(-1);
                        continue;
                    }
                    assertThat(n).isPositive();
                    byte[] want = java.util.Arrays.copyOfRange(expected, pos, Math.min(expected.length, pos + n));
                    assertThat(java.util.Arrays.copyOf(got, n)).as("at %d, %d octets", pos, len).isEqualTo(want);
                }
                assertThat(s.length()).isEqualTo(expected.length);
                assertThat(readAll(s)).isEqualTo(expected);
            }
        }
    }

    @Test
    void aRegionOfAFileAndAnEmptyRegion() throws IOException {
        byte[] raw = "HEADERa\nb\nTRAILER".getBytes(StandardCharsets.US_ASCII);
        try (FileChannel ch = file(raw)) {
            Segment s = Segment.crlfView(ch, 6, 4, -1);
            assertThat(new String(readAll(s), StandardCharsets.US_ASCII)).isEqualTo("a\r\nb\r\n");
            Segment empty = Segment.crlfView(ch, 0, 0, -1);
            assertThat(empty.length()).isZero();
            assertThat(empty.read(0, new byte[4], 0, 4)).isEqualTo(-1);
        }
    }

    @Test
    void impossibleLengthsAreRefused() throws IOException {
        try (FileChannel ch = file(new byte[10])) {
            assertThatThrownBy(() -> Segment.crlfView(ch, 0, 10, 9)).hasMessageContaining("impossible");
            assertThatThrownBy(() -> Segment.crlfView(ch, 0, 10, 21)).hasMessageContaining("impossible");
        }
    }

    @Test
    void aMessageSourceOverTheViewStreamsSkipsAndParses() throws Exception {
        StringBuilder sb = new StringBuilder("From: a@example.com\nSubject: converted\n\n");
        for (int i = 0; i < 5000; i++) {
            sb.append("line ").append(i).append('\n');
        }
        byte[] lf = sb.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] crlf = toCrlf(lf);
        FileChannel ch = file(lf);
        try (MessageSource m = MessageSource.ofFileRegion(ch, 0, lf.length, MessageSource.crlfLength(ch, 0, lf.length))) {
            assertThat(m.size()).isEqualTo(crlf.length);
            assertThat(m.toByteArray()).isEqualTo(crlf);
            try (InputStream in = m.openStream()) {
                assertThat(in.skip(crlf.length - 11)).isEqualTo(crlf.length - 11);
                assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("line 4999\r\n");
            }
            assertThat(m.mimeMessage().getSubject()).isEqualTo("converted");
            assertThat(m.headers().getHeader("From", null)).isEqualTo("a@example.com");
        }
        assertThat(ch.isOpen()).as("closing the source closes its resource").isFalse();
    }
}
