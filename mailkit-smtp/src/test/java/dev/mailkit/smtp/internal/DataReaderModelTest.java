package dev.mailkit.smtp.internal;

import org.junit.jupiter.api.Test;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compares {@link DataReader} with an independent model of DATA framing written line by line, on random content made
 * of the octets that matter ({@code .}, CR, LF) and ordinary ones, read whole, in random small pieces and one byte at a
 * time. The reader copies runs of ordinary octets at once; this is what shows the runs change nothing.
 */
class DataReaderModelTest {
    private static final int MAX_LINE = 7;

    /** What the model expects: the content written (normalising), bare line ends, an over-long line, the rest. */
    record Expected(String content, int bare, boolean lineTooLong, long size, String rest) {
    }

    /**
     * The model. The content ends before the first line (at the start, or after a CRLF) that is exactly ".", CRLF.
     * Lines are split on CRLF only; a line's first dot is removed unless a CR or LF follows it. A CR not followed by LF,
     * and an LF not preceded by that CR, is bare and becomes CRLF; every line end (CRLF or bare) restarts the count of
     * line length.
     */
    static Expected model(String wire) {
        int end = wire.startsWith(".\r\n") ? 0 : wire.indexOf("\r\n.\r\n") + 2;
        String content = wire.substring(0, end);
        String rest = wire.substring(end + 3);
        StringBuilder out = new StringBuilder();
        int bare = 0;
        boolean tooLong = false;
        String[] lines = content.split("\r\n", -1);
        for (int l = 0; l < lines.length; l++) {
            String line = lines[l];
            if (line.length() >= 2 && line.charAt(0) == '.' && line.charAt(1) != '\r' && line.charAt(1) != '\n') {
                line = line.substring(1);
            }
            int run = 0;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (c == '\r' || c == '\n') {
                    bare++;
                    out.append("\r\n");
                    run = 0;
                } else {
                    out.append(c);
                    if (++run > MAX_LINE) {
                        tooLong = true;
                    }
                }
            }
            if (l < lines.length - 1) {
                out.append("\r\n");
            }
        }
        return new Expected(out.toString(), bare, tooLong, out.length(), rest);
    }

    /** Hands out the bytes in pieces of random length (1 to 40), so runs are cut at every kind of place. */
    static final class Pieces extends InputStream {
        private final ByteArrayInputStream in;
        private final Random random;

        Pieces(byte[] b, Random random) {
            this.in = new ByteArrayInputStream(b);
            this.random = random;
        }

        @Override
        public int read() {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            return in.read(b, off, Math.min(len, 1 + random.nextInt(40)));
        }
    }

    static String randomContent(Random random) {
        String[] atoms = {"a", "bcdefghijk", ".", "\r", "\n", "\r\n", "\r\n.", "x".repeat(3000)};
        StringBuilder sb = new StringBuilder();
        int atoms1 = random.nextInt(60);
        for (int i = 0; i < atoms1; i++) {
            int k = random.nextInt(atoms.length * 10);
            sb.append(k < 10 * (atoms.length - 1) ? atoms[k / 10] : random.nextInt(50) == 0 ? atoms[atoms.length - 1] : "z");
        }
        return sb.toString();
    }

    @Test
    void agreesWithTheLineModelOnRandomContent() throws Exception {
        Random random = new Random(5321);
        for (int round = 0; round < 3000; round++) {
            String wire = randomContent(random) + "\r\n.\r\nQUIT\r\n";
            Expected expected = model(wire);
            byte[] bytes = wire.getBytes(StandardCharsets.ISO_8859_1);
            for (int mode = 0; mode < 3; mode++) {
                InputStream raw = mode == 0 ? new ByteArrayInputStream(bytes)
                        : mode == 1 ? new Pieces(bytes, random) : new DataReaderTest.Trickle(bytes);
                BufferedInputStream in = new BufferedInputStream(raw);
                DataReader reader = new DataReader(1_000_000, MAX_LINE, true);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                reader.read(in, out);
                String what = "round " + round + " mode " + mode + " wire " + escape(wire);
                assertThat(reader.isLineTooLong()).as(what).isEqualTo(expected.lineTooLong);
                assertThat(reader.limits().bareCount()).as(what).isEqualTo(expected.bare);
                assertThat(reader.size()).as(what).isEqualTo(expected.size);
                if (!expected.lineTooLong) {
                    assertThat(out.toString(StandardCharsets.ISO_8859_1)).as(what).isEqualTo(expected.content);
                }
                assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)).as(what).isEqualTo(expected.rest);
            }
        }
    }

    private static String escape(String s) {
        String shown = s.length() > 300 ? s.substring(0, 300) + "..." : s;
        return shown.replace("\r", "\\r").replace("\n", "\\n");
    }
}
