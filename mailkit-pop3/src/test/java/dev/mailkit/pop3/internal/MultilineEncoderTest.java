package dev.mailkit.pop3.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MultilineEncoderTest {
    private final MultilineEncoder encoder = new MultilineEncoder();

    private String encode(String message, long bodyLines) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        encoder.write(new ByteArrayInputStream(message.getBytes(StandardCharsets.ISO_8859_1)), out, bodyLines);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''                       | '.\r\n'",
            "'a\r\n'                  | 'a\r\n.\r\n'",
            "'a'                      | 'a\r\n.\r\n'",
            "'.\r\n'                  | '..\r\n.\r\n'",
            "'.'                      | '..\r\n.\r\n'",
            "'a\r\n.b\r\n..\r\n'      | 'a\r\n..b\r\n...\r\n.\r\n'",
            "'a\nb\n'                 | 'a\r\nb\r\n.\r\n'",
            "'a\n.\n'                 | 'a\r\n..\r\n.\r\n'",
            "'\n\n'                   | '\r\n\r\n.\r\n'",
            "'a\rb\r\n'               | 'a\rb\r\n.\r\n'",
            "'a\r'                    | 'a\r\r\n.\r\n'",
            "'a\r.\r\n'               | 'a\r.\r\n.\r\n'",
            "'x. y\r\n'               | 'x. y\r\n.\r\n'",
    })
    void retr(String message, String expected) throws IOException {
        assertThat(encode(message, -1)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "'H: v\r\n\r\nb1\r\nb2\r\n' | 0  | 'H: v\r\n\r\n.\r\n'",
            "'H: v\r\n\r\nb1\r\nb2\r\n' | 1  | 'H: v\r\n\r\nb1\r\n.\r\n'",
            "'H: v\r\n\r\nb1\r\nb2\r\n' | 2  | 'H: v\r\n\r\nb1\r\nb2\r\n.\r\n'",
            "'H: v\r\n\r\nb1\r\nb2\r\n' | 9  | 'H: v\r\n\r\nb1\r\nb2\r\n.\r\n'",
            "'H: v\r\n\r\nb1\r\nb2'     | 5  | 'H: v\r\n\r\nb1\r\nb2\r\n.\r\n'",
            "'H: v\n\n.b1\nb2\n'        | 1  | 'H: v\r\n\r\n..b1\r\n.\r\n'",
            "'H: v\r\nno body'          | 0  | 'H: v\r\nno body\r\n.\r\n'",
            "'\r\nbody\r\n'             | 0  | '\r\n.\r\n'",
            "'H: v\r\n\r\n\r\n\r\nb\r\n' | 2 | 'H: v\r\n\r\n\r\n\r\n.\r\n'",
            "'H: \r\r\n\r\nb\r\n'        | 0 | 'H: \r\r\n\r\n.\r\n'",
    })
    void top(String message, long lines, String expected) throws IOException {
        assertThat(encode(message, lines)).isEqualTo(expected);
    }

    @Test
    void topStopsReadingAfterTheLinesItNeeds() throws IOException {
        byte[] head = "H: v\r\n\r\nline\r\n".getBytes(StandardCharsets.US_ASCII);
        InputStream endless = new InputStream() {
            long served;

            @Override
            public int read() {
                return served < head.length ? head[(int) served++] : (int) (served++ % 26) + 'a';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                int n = Math.min(len, 100);
                for (int i = 0; i < n; i++) {
                    b[off + i] = (byte) read();
                }
                return n;
            }
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        encoder.write(endless, out, 1);
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("H: v\r\n\r\nline\r\n.\r\n");
    }

    /** Random messages with lines that straddle buffer boundaries, against a one-byte-at-a-time reference. */
    @Test
    void agreesWithAReferenceOnRandomMessages() throws IOException {
        Random r = new Random(42);
        byte[] alphabet = ".\r\n\n\nabc. ".getBytes(StandardCharsets.US_ASCII);
        for (int round = 0; round < 300; round++) {
            int len = round < 200 ? r.nextInt(200) : 30_000 + r.nextInt(100_000);
            byte[] msg = new byte[len];
            for (int i = 0; i < len; i++) {
                msg[i] = r.nextInt(4) == 0 ? alphabet[r.nextInt(alphabet.length)] : (byte) ('a' + r.nextInt(26));
            }
            long lines = r.nextInt(3) == 0 ? -1 : r.nextInt(50);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            // a stream that returns short, odd-sized reads
            InputStream in = new ByteArrayInputStream(msg) {
                @Override
                public synchronized int read(byte[] b, int off, int n) {
                    return super.read(b, off, Math.min(n, 1 + r.nextInt(5000)));
                }
            };
            encoder.write(in, out, lines);
            assertThat(out.toByteArray()).as("round %d", round).isEqualTo(reference(msg, lines));
        }
    }

    @Test
    void bigMessagesStreamThroughFixedBuffers() throws IOException {
        long size = 128L * 1024 * 1024 + 7;
        byte[] line = "0123456789 .abcdefghijklmnopqrstuvwxyz 0123456789\r\n".getBytes(StandardCharsets.US_ASCII);
        InputStream in = new InputStream() {
            long pos;

            @Override
            public int read() {
                return pos < size ? line[(int) (pos++ % line.length)] : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= size) {
                    return -1;
                }
                int n = (int) Math.min(len, size - pos);
                for (int i = 0; i < n; i++) {
                    b[off + i] = line[(int) ((pos + i) % line.length)];
                }
                pos += n;
                return n;
            }
        };
        long[] written = {0};
        OutputStream counting = new OutputStream() {
            @Override
            public void write(int b) {
                written[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                written[0] += len;
            }
        };
        encoder.write(in, counting, -1);
        long lines = size / line.length;
        long partial = size % line.length;
        assertThat(written[0]).isEqualTo(size + (partial > 0 ? 2 : 0) + 3);
        assertThat(lines).isPositive();
    }

    @Test
    void aFailingMessageStreamIsReportedAsSuch() {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("disk gone");
            }
        };
        assertThatThrownBy(() -> encoder.write(broken, new ByteArrayOutputStream(), -1))
                .isInstanceOf(MultilineEncoder.ContentReadException.class).hasMessageContaining("disk gone");
    }

    private static byte[] reference(byte[] msg, long bodyLines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        java.util.List<byte[]> lines = new java.util.ArrayList<>();
        int start = 0;
        for (int i = 0; i < msg.length; i++) {
            if (msg[i] == '\n') {
                int end = i > start && msg[i - 1] == '\r' ? i - 1 : i;
                lines.add(java.util.Arrays.copyOfRange(msg, start, end));
                start = i + 1;
            }
        }
        if (start < msg.length) {
            lines.add(java.util.Arrays.copyOfRange(msg, start, msg.length));
        }
        boolean inBody = false;
        long left = bodyLines;
        for (byte[] l : lines) {
            if (bodyLines >= 0 && inBody && left-- <= 0) {
                break;
            }
            if (l.length > 0 && l[0] == '.') {
                out.write('.');
            }
            out.write(l, 0, l.length);
            out.write('\r');
            out.write('\n');
            if (l.length == 0 && !inBody) {
                inBody = true;
            }
        }
        out.write('.');
        out.write('\r');
        out.write('\n');
        return out.toByteArray();
    }
}
