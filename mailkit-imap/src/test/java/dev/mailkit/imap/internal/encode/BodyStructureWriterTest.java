package dev.mailkit.imap.internal.encode;

import dev.mailkit.imap.internal.message.EnvelopeFields;
import dev.mailkit.imap.internal.message.Param;
import dev.mailkit.imap.testing.TestPart;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Expected values are what Dovecot 2.3 answers for the same messages. */
class BodyStructureWriterTest {
    /** The multipart/mixed test message: text/plain, message/rfc822 (text/html inside), application/octet-stream. */
    static TestPart mixed() {
        TestPart text = TestPart.of("text", "plain").param("charset", "UTF-8").param("format", "flowed").lines(1)
                .offsets(100, 230, 242);
        text.id = "<part1@x>";
        text.description = "the text";
        text.dispositionType = "inline";
        text.language = List.of("en", "de");
        TestPart inner = TestPart.of("text", "html").lines(0).offsets(300, 354, 362);
        TestPart message = TestPart.of("message", "rfc822").lines(4).offsets(260, 300, 366);
        message.envelope = new EnvelopeFields.Of(null, "inner", "inner@x", null, null, null, null, null, null, null);
        message.message = inner;
        TestPart bin = TestPart.of("application", "octet-stream").param("name", "a.bin").offsets(370, 500, 504);
        bin.encoding = "base64";
        bin.dispositionType = "attachment";
        bin.dispositionParams = List.of(new Param("filename", "a.bin"));
        bin.location = "http://x/a";
        TestPart root = TestPart.of("multipart", "mixed").param("boundary", "BB").offsets(0, 90, 520);
        return root.child(text).child(message).child(bin);
    }

    @Test
    void bodystructureOfAMixedMessage() throws Exception {
        assertThat(Render.of(w -> BodyStructureWriter.write(w, mixed(), true))).isEqualTo(
                "((\"text\" \"plain\" (\"charset\" \"UTF-8\" \"format\" \"flowed\") \"<part1@x>\" \"the text\" \"7bit\" 12"
                        + " 1 NIL (\"inline\" NIL) (\"en\" \"de\") NIL)(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 66"
                        + " (NIL \"inner\" ((NIL NIL \"inner\" \"x\")) ((NIL NIL \"inner\" \"x\")) ((NIL NIL \"inner\""
                        + " \"x\")) NIL NIL NIL NIL NIL) (\"text\" \"html\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\""
                        + " 8 0 NIL NIL NIL NIL) 4 NIL NIL NIL NIL)(\"application\" \"octet-stream\" (\"name\""
                        + " \"a.bin\") NIL NIL \"base64\" 4 NIL (\"attachment\" (\"filename\" \"a.bin\")) NIL"
                        + " \"http://x/a\") \"mixed\" (\"boundary\" \"BB\") NIL NIL NIL)");
    }

    @Test
    void bodyOfAMixedMessage() throws Exception {
        assertThat(Render.of(w -> BodyStructureWriter.write(w, mixed(), false))).isEqualTo(
                "((\"text\" \"plain\" (\"charset\" \"UTF-8\" \"format\" \"flowed\") \"<part1@x>\" \"the text\" \"7bit\" 12"
                        + " 1)(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 66 (NIL \"inner\" ((NIL NIL \"inner\" \"x\"))"
                        + " ((NIL NIL \"inner\" \"x\")) ((NIL NIL \"inner\" \"x\")) NIL NIL NIL NIL NIL) (\"text\""
                        + " \"html\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 8 0) 4)(\"application\""
                        + " \"octet-stream\" (\"name\" \"a.bin\") NIL NIL \"base64\" 4) \"mixed\")");
    }

    @Test
    void defaultsCasePreservationAndCharsetAppended() throws Exception {
        TestPart bare = new TestPart().offsets(0, 20, 26).lines(1);
        assertThat(Render.of(w -> BodyStructureWriter.write(w, bare, true)))
                .isEqualTo("(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 6 1 NIL NIL NIL NIL)");
        TestPart upper = TestPart.of("TEXT", "Plain").param("format", "flowed").offsets(0, 100, 111).lines(1);
        upper.encoding = "QUOTED-printable";
        upper.language = List.of("en");
        assertThat(Render.of(w -> BodyStructureWriter.write(w, upper, true))).isEqualTo(
                "(\"TEXT\" \"Plain\" (\"format\" \"flowed\" \"charset\" \"us-ascii\") NIL NIL \"QUOTED-printable\" 11 1"
                        + " NIL NIL (\"en\") NIL)");
        TestPart app = TestPart.of("application", "x-foo").offsets(0, 50, 50);
        assertThat(Render.of(w -> BodyStructureWriter.write(w, app, true)))
                .isEqualTo("(\"application\" \"x-foo\" NIL NIL NIL \"7bit\" 0 NIL NIL NIL NIL)");
    }

    @Test
    void multipartWithoutPartsStillHasOne() throws Exception {
        TestPart empty = TestPart.of("multipart", "mixed").offsets(0, 40, 53);
        assertThat(Render.of(w -> BodyStructureWriter.write(w, empty, true))).isEqualTo(
                "((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 0 0 NIL NIL NIL NIL) \"mixed\" NIL"
                        + " NIL NIL NIL)");
        assertThat(Render.of(w -> BodyStructureWriter.write(w, empty, false)))
                .isEqualTo("((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 0 0) \"mixed\")");
    }

    @Test
    void pathologicalNestingIsCut() throws Exception {
        TestPart root = TestPart.of("multipart", "mixed");
        TestPart cur = root;
        for (int i = 0; i < 500; i++) {
            TestPart c = TestPart.of("multipart", "mixed");
            cur.child(c);
            cur = c;
        }
        String s = Render.of(w -> BodyStructureWriter.write(w, root, true));
        assertThat(s.chars().filter(c -> c == '(').count()).isLessThan(600);
    }
}
