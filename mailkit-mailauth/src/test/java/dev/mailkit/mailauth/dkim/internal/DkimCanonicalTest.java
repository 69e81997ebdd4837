package dev.mailkit.mailauth.dkim.internal;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import static org.assertj.core.api.Assertions.assertThat;

/** The canonicalisation algorithms of RFC 6376 3.4, with the examples of 3.4.5 and the empty-body rules. */
class DkimCanonicalTest {
    static byte[] sha256(String s) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    static byte[] relaxed(String body, long limit, int chunk) throws Exception {
        DkimCanonical.Body b = limit < 0 ? new DkimCanonical.RelaxedBody(MessageDigest.getInstance("SHA-256"))
                : new DkimCanonical.RelaxedBody(MessageDigest.getInstance("SHA-256"), limit);
        feed(b, body, chunk);
        return b.finish();
    }

    static byte[] simple(String body, long limit, int chunk) throws Exception {
        DkimCanonical.Body b = new DkimCanonical.SimpleBody(MessageDigest.getInstance("SHA-256"), limit);
        feed(b, body, chunk);
        return b.finish();
    }

    /** Feeds in pieces of {@code chunk} bytes, so that CR, LF and white space runs fall across calls. */
    static void feed(DkimCanonical.Body b, String body, int chunk) {
        byte[] bytes = body.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < bytes.length; i += chunk) {
            b.update(bytes, i, Math.min(chunk, bytes.length - i));
        }
    }

    @Test
    void relaxedHeaderFieldsAsInRfc6376Example() {
        assertThat(DkimCanonical.header("A: X")).isEqualTo("a:X\r\n");
        assertThat(DkimCanonical.header("B : Y\t\r\n\tZ  ")).isEqualTo("b:Y Z\r\n");
        assertThat(DkimCanonical.header("Subject:   many   spaces\t here ")).isEqualTo("subject:many spaces here\r\n");
    }

    @Test
    void bodiesAsInRfc6376ExampleWhateverTheChunking() throws Exception {
        String body = " C \r\nD \t E\r\n\r\n\r\n";
        for (int chunk : new int[] {1, 2, 3, 7, 1000}) {
            assertThat(simple(body, -1, chunk)).as("simple, chunk " + chunk).isEqualTo(sha256(" C \r\nD \t E\r\n"));
            assertThat(relaxed(body, -1, chunk)).as("relaxed, chunk " + chunk).isEqualTo(sha256(" C\r\nD E\r\n"));
        }
    }

    @Test
    void emptyBodies() throws Exception {
        assertThat(simple("", -1, 10)).as("simple: an empty body is one CRLF").isEqualTo(sha256("\r\n"));
        assertThat(simple("\r\n\r\n", -1, 10)).isEqualTo(sha256("\r\n"));
        assertThat(relaxed("", -1, 10)).as("relaxed: an empty body stays empty").isEqualTo(sha256(""));
        assertThat(relaxed("\r\n \r\n", -1, 10)).isEqualTo(sha256(""));
    }

    @Test
    void aMissingFinalLineBreakIsAdded() throws Exception {
        assertThat(simple("last line", -1, 4)).isEqualTo(sha256("last line\r\n"));
        assertThat(relaxed("last line  ", -1, 4)).isEqualTo(sha256("last line\r\n"));
    }

    @Test
    void theLengthLimitCountsCanonicalOctets() throws Exception {
        assertThat(simple("abcdef\r\nmore\r\n", 5, 3)).isEqualTo(sha256("abcde"));
        assertThat(relaxed("a  b\r\nmore\r\n", 3, 1)).isEqualTo(sha256("a b"));
    }
}
