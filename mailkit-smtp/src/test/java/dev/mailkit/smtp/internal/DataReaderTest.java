package dev.mailkit.smtp.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DataReaderTest {
    /** Delivers one byte per read, so every chunk boundary is exercised. */
    static final class Trickle extends InputStream {
        private final ByteArrayInputStream in;

        Trickle(byte[] b) {
            in = new ByteArrayInputStream(b);
        }

        @Override
        public int read() {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            return in.read(b, off, Math.min(len, 1));
        }
    }

    record Result(String content, String rest, DataReader reader) {
    }

    static Result read(String wire, boolean normalize, boolean trickle) throws Exception {
        byte[] bytes = wire.getBytes(StandardCharsets.ISO_8859_1);
        BufferedInputStream in = new BufferedInputStream(trickle ? new Trickle(bytes) : new ByteArrayInputStream(bytes));
        DataReader r = new DataReader(1_000_000, 998, normalize);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        r.read(in, out);
        return new Result(out.toString(StandardCharsets.ISO_8859_1),
                new String(in.readAllBytes(), StandardCharsets.ISO_8859_1), r);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void endsOnCrlfDotCrlfAndLeavesPipelinedCommands(boolean trickle) throws Exception {
        Result r = read("Subject: a\r\n\r\nbody\r\n.\r\nQUIT\r\n", false, trickle);
        assertThat(r.content).isEqualTo("Subject: a\r\n\r\nbody\r\n");
        assertThat(r.rest).isEqualTo("QUIT\r\n");
        assertThat(r.reader.hasBareLineEndings()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void unstuffsLeadingDotsIncludingOnTheFirstLine(boolean trickle) throws Exception {
        Result r = read("..first\r\nmid\r\n..second\r\n...\r\n.x\r\n.\r\n", false, trickle);
        assertThat(r.content).isEqualTo(".first\r\nmid\r\n.second\r\n..\r\nx\r\n");
    }

    @Test
    void emptyMessage() throws Exception {
        assertThat(read(".\r\n", false, false).content).isEmpty();
    }

    /** Every smuggling terminator is content, never an end; the real end is the CRLF.CRLF after it. */
    @ParameterizedTest
    @ValueSource(strings = {"\n.\n", "\r\n.\n", "\n.\r\n", "\r.\r\n", "\r\n.\r", "\n.\r", ".\n"})
    void smugglingTerminatorsDoNotEndData(String fake) throws Exception {
        String wire = "Subject: a\r\n\r\nhello" + fake + "MAIL FROM:<evil@x>\r\nRCPT TO:<v@y>\r\nDATA\r\nsmuggled\r\n.\r\nNOOP\r\n";
        for (boolean trickle : new boolean[] {false, true}) {
            Result r = read(wire, false, trickle);
            assertThat(r.rest).isEqualTo("NOOP\r\n");
            assertThat(r.reader.hasBareLineEndings()).isTrue();
            Result n = read(wire, true, trickle);
            assertThat(n.rest).isEqualTo("NOOP\r\n");
            // normalised: every line end is CRLF, and the smuggled commands are content of the one message
            assertThat(n.content.replace("\r\n", "")).doesNotContain("\r").doesNotContain("\n");
            assertThat(n.content).contains("MAIL FROM:<evil@x>\r\n").endsWith("smuggled\r\n");
        }
    }

    @Test
    void normalizesBareLineEndsToCrlf() throws Exception {
        Result r = read("a\nb\rc\r\n.\r\n", true, false);
        assertThat(r.content).isEqualTo("a\r\nb\r\nc\r\n");
        assertThat(r.reader.bareLfCount()).isEqualTo(1);
        assertThat(r.reader.bareCrCount()).isEqualTo(1);
    }

    @Test
    void oversizeIsDrainedNotKept() throws Exception {
        byte[] body = ("x".repeat(100) + "\r\n").repeat(1000).getBytes(StandardCharsets.US_ASCII);
        String wire = new String(body, StandardCharsets.US_ASCII) + ".\r\nRSET\r\n";
        BufferedInputStream in = new BufferedInputStream(new ByteArrayInputStream(wire.getBytes(StandardCharsets.US_ASCII)));
        DataReader r = new DataReader(5000, 998, false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        r.read(in, out);
        assertThat(r.isOversize()).isTrue();
        assertThat(out.size()).isLessThanOrEqualTo(5000);
        assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("RSET\r\n");
    }

    @Test
    void longLinesAreFlagged() throws Exception {
        Result ok = read("x".repeat(998) + "\r\n.\r\n", false, false);
        assertThat(ok.reader.isLineTooLong()).isFalse();
        Result tooLong = read("x".repeat(999) + "\r\n.\r\n", false, false);
        assertThat(tooLong.reader.isLineTooLong()).isTrue();
    }

    @Test
    void eofBeforeTheEndIsAnError() {
        assertThatThrownBy(() -> read("Subject: a\r\n\r\nno end\r\n", false, false)).isInstanceOf(EOFException.class);
    }

    @Test
    void chunkReaderChecksAcrossChunkBoundaries() throws Exception {
        ChunkReader r = new ChunkReader(1000, 998, false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        r.read(new ByteArrayInputStream("ab\r".getBytes(StandardCharsets.US_ASCII)), 3, false, out);
        r.read(new ByteArrayInputStream("\ncd\r\n".getBytes(StandardCharsets.US_ASCII)), 5, true, out);
        assertThat(r.hasBareLineEndings()).isFalse();
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("ab\r\ncd\r\n");

        ChunkReader bare = new ChunkReader(1000, 998, false);
        bare.read(new ByteArrayInputStream("a\nb".getBytes(StandardCharsets.US_ASCII)), 3, true, new ByteArrayOutputStream());
        assertThat(bare.hasBareLineEndings()).isTrue();

        ChunkReader trailingCr = new ChunkReader(1000, 998, false);
        trailingCr.read(new ByteArrayInputStream("a\r".getBytes(StandardCharsets.US_ASCII)), 2, true, new ByteArrayOutputStream());
        assertThat(trailingCr.hasBareLineEndings()).isTrue();
    }

    @Test
    void pathParser() {
        PathParser.Parsed p = PathParser.parse("FROM:<a@b.test> SIZE=100 BODY=8BITMIME", "FROM", "5.1.7");
        assertThat(p.error).isNull();
        assertThat(p.address.toString()).isEqualTo("a@b.test");
        assertThat(p.parameters).containsEntry("SIZE", "100").containsEntry("BODY", "8BITMIME");
        assertThat(PathParser.parse("FROM:<>", "FROM", "5.1.7").nullPath).isTrue();
        assertThat(PathParser.parse("from: <a@b.test>", "FROM", "5.1.7").address).isNotNull();
        assertThat(PathParser.parse("TO:<@relay.test,@r2.test:u@d.test>", "TO", "5.1.3").address.toString())
                .isEqualTo("u@d.test");
        assertThat(PathParser.parse("TO:<\"a>b\"@d.test>", "TO", "5.1.3").address.localPart()).isEqualTo("a>b");
        assertThat(PathParser.parse("TO:<Postmaster>", "TO", "5.1.3").postmaster).isTrue();
        assertThat(PathParser.parse("TO:a@b.test", "TO", "5.1.3").error.toString()).contains("angle brackets");
        assertThat(PathParser.parse("TO:<a@b.test", "TO", "5.1.3").error.toString()).contains("closing");
        assertThat(PathParser.parse("TO:<a@b.test> X=", "TO", "5.1.3").error.toString()).contains("Malformed");
        assertThat(PathParser.parse("TO:<a\u0000b@b.test>", "TO", "5.1.3").error.toString()).contains("501 5.1.3");
        assertThat(PathParser.parse("FROM:<a@b.test> SIZE=1 SIZE=2", "FROM", "5.1.7").error.toString())
                .contains("twice");
    }

    /**
     * The most a chunk's output can grow: a chunk that starts with a ".\r" left pending by the one before and holds
     * nothing but bare LFs after it doubles (each LF becomes CRLF) and still fits the reader's output buffer.
     */
    @Test
    void aChunkOfBareLineFeedsAfterAPendingDotCrIsNormalisedWhole() throws Exception {
        String lines = ("a".repeat(100) + "\r\n").repeat(20) + "bbbb\r\n";
        String first = lines + ".\r"; // exactly one 2 048-octet chunk, ending in ".\r"
        assertThat(first).hasSize(2048);
        String second = "x" + "\n".repeat(4000) + "\r\n.\r\n";
        Result r = read(first + second + "QUIT\r\n", true, false);
        assertThat(r.content).isEqualTo(lines + ".\r\nx" + "\r\n".repeat(4000) + "\r\n");
        assertThat(r.rest).isEqualTo("QUIT\r\n");
        assertThat(r.reader.bareCrCount()).isEqualTo(1);
        assertThat(r.reader.bareLfCount()).isEqualTo(4000);
    }
}
