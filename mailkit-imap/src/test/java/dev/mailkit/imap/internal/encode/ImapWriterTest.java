package dev.mailkit.imap.internal.encode;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImapWriterTest {
    @Test
    void numbersWithoutStrings() throws Exception {
        assertThat(Render.of(w -> w.number(0).sp().number(7).sp().number(10).sp().number(4294967295L).sp()
                .number(Long.MAX_VALUE))).isEqualTo("0 7 10 4294967295 " + Long.MAX_VALUE);
        assertThat(Render.of(w -> w.padded(5, 2).sp().padded(2024, 4).sp().padded(0, 2))).isEqualTo("05 2024 00");
    }

    @Test
    void stringsChooseQuotedOrLiteral() throws Exception {
        assertThat(Render.of(w -> w.string("hello world"))).isEqualTo("\"hello world\"");
        assertThat(Render.of(w -> w.string("say \"hi\" \\o/"))).isEqualTo("\"say \\\"hi\\\" \\\\o/\"");
        assertThat(Render.of(w -> w.string("\u00e9t\u00e9"))).isEqualTo("{5}\r\n\u00e9t\u00e9");
        assertThat(Render.of(w -> w.string("two\r\nlines"))).isEqualTo("{10}\r\ntwo\r\nlines");
        assertThat(Render.of(w -> w.string(""))).isEqualTo("\"\"");
        assertThat(Render.of(w -> w.nstring(null))).isEqualTo("NIL");
        String long600 = "x".repeat(600);
        assertThat(Render.of(w -> w.string(long600))).isEqualTo("{600}\r\n" + long600);
    }

    @Test
    void astringsAreAtomsWhenTheyCanBe() throws Exception {
        assertThat(Render.of(w -> w.astring("INBOX"))).isEqualTo("INBOX");
        assertThat(Render.of(w -> w.astring("a]b"))).isEqualTo("a]b");
        assertThat(Render.of(w -> w.astring("NIL"))).isEqualTo("\"NIL\"");
        assertThat(Render.of(w -> w.astring("two words"))).isEqualTo("\"two words\"");
        assertThat(Render.of(w -> w.astring(""))).isEqualTo("\"\"");
    }

    @Test
    void mailboxNamesAreModifiedUtf7AndQuoted() throws Exception {
        assertThat(Render.of(w -> w.mailbox("Entw\u00fcrfe"))).isEqualTo("\"Entw&APw-rfe\"");
        assertThat(Render.of(w -> w.mailbox("a \"b\""))).isEqualTo("\"a \\\"b\\\"\"");
    }

    @Test
    void responseTextCannotBreakTheLine() throws Exception {
        assertThat(Render.of(w -> w.tagged("a1", "NO", null, "evil\r\n* OK [ALERT] injected")))
                .isEqualTo("a1 NO evil  * OK [ALERT] injected\r\n");
        assertThat(Render.of(w -> w.tagged("a1", "NO", "TOOBIG", "too big"))).isEqualTo("a1 NO [TOOBIG] too big\r\n");
    }

    @Test
    void literalsStreamThroughTheBufferWithoutHoldingTheWholeBody() throws Exception {
        byte[] body = new byte[1_000_000];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) ('a' + i % 26);
        }
        int[] biggestWrite = {0};
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        OutputStream out = new OutputStream() {
            @Override
            public void write(int b) {
                sink.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                biggestWrite[0] = Math.max(biggestWrite[0], len);
                sink.write(b, off, len);
            }
        };
        ImapWriter w = new ImapWriter(out, 8192);
        w.literal(new ByteArrayInputStream(body), body.length);
        w.flush();
        byte[] got = sink.toByteArray();
        String head = "{1000000}\r\n";
        assertThat(new String(got, 0, head.length(), StandardCharsets.US_ASCII)).isEqualTo(head);
        assertThat(got.length).isEqualTo(head.length() + body.length);
        assertThat(biggestWrite[0]).isLessThanOrEqualTo(8192);
    }

    @Test
    void aContentStreamThatEndsEarlyIsAnError() {
        InputStream shortStream = new ByteArrayInputStream(new byte[10]);
        ImapWriter w = new ImapWriter(OutputStream.nullOutputStream(), 64);
        assertThatThrownBy(() -> w.literal(shortStream, 20)).isInstanceOf(EOFException.class);
    }

    @Test
    void internalDates() throws Exception {
        Instant t = Instant.parse("1996-07-17T09:44:25Z");
        assertThat(Render.of(w -> ImapDates.writeDateTime(w, t, ZoneOffset.ofHours(-7))))
                .isEqualTo("\"17-Jul-1996 02:44:25 -0700\"");
        assertThat(Render.of(w -> ImapDates.writeDateTime(w, Instant.parse("2024-03-05T00:00:00Z"),
                ZoneOffset.ofHoursMinutes(5, 30)))).isEqualTo("\"05-Mar-2024 05:30:00 +0530\"");
        assertThat(ImapDates.format(t, ZoneOffset.UTC)).isEqualTo("17-Jul-1996 09:44:25 +0000");
    }
}
