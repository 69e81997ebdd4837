package dev.mailkit.imap.internal.encode;

import dev.mailkit.imap.internal.command.FetchRequest;
import dev.mailkit.imap.internal.command.SequenceSet;
import dev.mailkit.imap.internal.message.EnvelopeFields;
import dev.mailkit.imap.internal.message.MessageFlags;
import dev.mailkit.imap.internal.protocol.CommandReader;
import dev.mailkit.imap.internal.protocol.CommandParser;
import dev.mailkit.imap.internal.command.FetchCommand;
import dev.mailkit.imap.testing.TestMessage;
import dev.mailkit.imap.testing.TestPart;
import dev.mailkit.core.MessageSpool;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Body sections as Dovecot 2.3 returns them for the same two messages. */
class FetchResponseWriterTest {
    static TestMessage mixed() {
        TestMessage m = new TestMessage("From: a@b\r\nSubject: test\r\nContent-Type: multipart/mixed; boundary=\"BB\"\r\n"
                + "\r\n--BB\r\nContent-Type: text/plain\r\n\r\nhello\r\nworld\r\n--BB\r\nContent-Type: message/rfc822\r\n"
                + "\r\nSubject: inner\r\n\r\ninner body\r\n--BB--\r\n");
        int size = m.bytes.length;
        TestPart text = TestPart.of("text", "plain").lines(1).offsets(m.after("--BB\r\n", 1),
                m.after("text/plain\r\n\r\n", 1), m.at("\r\n--BB", 2));
        TestPart inner = TestPart.of(null, null).lines(0).offsets(m.after("rfc822\r\n\r\n", 1),
                m.after("inner\r\n\r\n", 1), m.at("\r\n--BB--", 1));
        TestPart msg = TestPart.of("message", "rfc822").lines(2).offsets(m.after("--BB\r\n", 2),
                m.after("rfc822\r\n\r\n", 1), m.at("\r\n--BB--", 1));
        msg.message = inner;
        msg.envelope = new EnvelopeFields.Of(null, "inner", null, null, null, null, null, null, null, null);
        m.structure = TestPart.of("multipart", "mixed").param("boundary", "BB").offsets(0, m.after("\r\n\r\n", 1),
                size).child(text).child(msg);
        m.envelope = new EnvelopeFields.Of(null, "test", "a@b", null, null, null, null, null, null, null);
        return m;
    }

    static TestMessage single() {
        TestMessage m = new TestMessage("Subject: single\r\nX-A: 1\r\n\r\nbody\r\n");
        m.structure = TestPart.of(null, null).lines(1).offsets(0, m.after("\r\n\r\n", 1), m.bytes.length);
        m.envelope = new EnvelopeFields.Of(null, "single", null, null, null, null, null, null, null, null);
        return m;
    }

    static FetchRequest request(String items) throws Exception {
        String line = "t FETCH 1 " + items + "\r\n";
        CommandReader r = new CommandReader(new ByteArrayInputStream(line.getBytes(StandardCharsets.UTF_8)), () -> { });
        return ((FetchCommand) new CommandParser(r, MessageSpool.temporary(), 1000).next(n -> { })).request();
    }

    static String fetch(TestMessage m, String items) throws Exception {
        FetchRequest req = request(items);
        return Render.of(w -> new FetchResponseWriter(ZoneOffset.UTC).write(w, 1, req, m, m.flags, false));
    }

    @Test
    void sectionsOfAMultipartMessage() throws Exception {
        TestMessage m = mixed();
        assertThat(fetch(m, "(BODY.PEEK[1] BODY.PEEK[1.MIME] BODY.PEEK[2] BODY.PEEK[2.HEADER] BODY.PEEK[2.TEXT] "
                + "BODY.PEEK[2.1] BODY.PEEK[2.MIME] BODY.PEEK[3] BODY.PEEK[1.HEADER] BODY.PEEK[1.1])")).isEqualTo(
                "* 1 FETCH (BODY[1] {12}\r\nhello\r\nworld BODY[1.MIME] {28}\r\nContent-Type: text/plain\r\n\r\n"
                        + " BODY[2] {28}\r\nSubject: inner\r\n\r\ninner body BODY[2.HEADER] {18}\r\nSubject: inner\r\n"
                        + "\r\n BODY[2.TEXT] {10}\r\ninner body BODY[2.1] {10}\r\ninner body BODY[2.MIME] {32}\r\n"
                        + "Content-Type: message/rfc822\r\n\r\n BODY[3] {0}\r\n BODY[1.HEADER] {0}\r\n"
                        + " BODY[1.1] {12}\r\nhello\r\nworld)\r\n");
        assertThat(m.contentsOpened).isEqualTo(1);
    }

    @Test
    void headerFieldsAndPartials() throws Exception {
        TestMessage m = mixed();
        assertThat(fetch(m, "(BODY.PEEK[HEADER.FIELDS (SUBJECT X-NONE)] BODY.PEEK[HEADER.FIELDS.NOT (SUBJECT)] "
                + "BODY.PEEK[]<0.5> BODY.PEEK[]<1000.5> BODY.PEEK[HEADER.FIELDS (NONE)] BODY.PEEK[TEXT]<2.3>)"))
                .isEqualTo("* 1 FETCH (BODY[HEADER.FIELDS (SUBJECT X-NONE)] {17}\r\nSubject: test\r\n\r\n"
                        + " BODY[HEADER.FIELDS.NOT (SUBJECT)] {59}\r\nFrom: a@b\r\n"
                        + "Content-Type: multipart/mixed; boundary=\"BB\"\r\n\r\n BODY[]<0> {5}\r\nFrom:"
                        + " BODY[]<1000> {0}\r\n BODY[HEADER.FIELDS (NONE)] {2}\r\n\r\n BODY[TEXT]<2> {3}\r\nBB\r)\r\n");
        assertThat(fetch(m, "BODY.PEEK[HEADER.FIELDS (SUBJECT)]<3.6>"))
                .isEqualTo("* 1 FETCH (BODY[HEADER.FIELDS (SUBJECT)]<3> {6}\r\nject: )\r\n");
    }

    @Test
    void sectionsOfASinglePartMessage() throws Exception {
        TestMessage m = single();
        assertThat(fetch(m, "(BODY.PEEK[1] BODY.PEEK[1.MIME] BODY.PEEK[2] BODY.PEEK[1.1] BODY.PEEK[TEXT] "
                + "RFC822.HEADER RFC822.TEXT)")).isEqualTo("* 1 FETCH (BODY[1] {6}\r\nbody\r\n BODY[1.MIME] {27}\r\n"
                + "Subject: single\r\nX-A: 1\r\n\r\n BODY[2] {0}\r\n BODY[1.1] {0}\r\n BODY[TEXT] {6}\r\nbody\r\n"
                + " RFC822.HEADER {27}\r\nSubject: single\r\nX-A: 1\r\n\r\n RFC822.TEXT {6}\r\nbody\r\n)\r\n");
        assertThat(fetch(m, "(RFC822 BODY[])")).isEqualTo("* 1 FETCH (RFC822 {33}\r\n" + new String(m.bytes,
                StandardCharsets.UTF_8) + " BODY[] {33}\r\n" + new String(m.bytes, StandardCharsets.UTF_8) + ")\r\n");
    }

    @Test
    void indexDataAndFlags() throws Exception {
        TestMessage m = single();
        m.uid = 42;
        m.modseq = 77;
        m.flags = MessageFlags.of(MessageFlags.SEEN | MessageFlags.RECENT | MessageFlags.ANSWERED,
                List.of("$Forwarded", "work"));
        assertThat(fetch(m, "(UID FLAGS INTERNALDATE RFC822.SIZE MODSEQ)")).isEqualTo("* 1 FETCH (UID 42 FLAGS "
                + "(\\Answered \\Seen \\Recent $Forwarded work) INTERNALDATE \"01-Jan-2024 09:00:00 +0000\" "
                + "RFC822.SIZE 33 MODSEQ (77))\r\n");
        m.flags = MessageFlags.NONE;
        assertThat(fetch(m, "FLAGS")).isEqualTo("* 1 FETCH (FLAGS ())\r\n");
        m.flags = MessageFlags.of(0, List.of("k"));
        assertThat(fetch(m, "FLAGS")).isEqualTo("* 1 FETCH (FLAGS (k))\r\n");
        FetchRequest req = request("BODY[TEXT]");
        MessageFlags seen = MessageFlags.of(MessageFlags.SEEN, List.of());
        assertThat(Render.of(w -> new FetchResponseWriter(ZoneOffset.UTC).write(w, 3, req, m, seen, true)))
                .isEqualTo("* 3 FETCH (BODY[TEXT] {6}\r\nbody\r\n FLAGS (\\Seen))\r\n");
        assertThat(m.contentsOpened).isEqualTo(1);
    }

    @Test
    void envelopeAndStructureNeedNoContent() throws Exception {
        TestMessage m = mixed();
        String s = fetch(m, "(ENVELOPE BODY BODYSTRUCTURE)");
        assertThat(s).startsWith("* 1 FETCH (ENVELOPE (NIL \"test\" ((NIL NIL \"a\" \"b\"))")
                .contains(" BODY ((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 12 1)(\"message\"")
                .contains(" BODYSTRUCTURE ((\"text\"");
        assertThat(m.contentsOpened).isZero();
    }

    @Test
    void uidListsForCopyUid() {
        assertThat(SequenceSet.formatList(new long[] {1, 2, 3, 5, 7, 8})).isEqualTo("1:3,5,7:8");
    }
}
