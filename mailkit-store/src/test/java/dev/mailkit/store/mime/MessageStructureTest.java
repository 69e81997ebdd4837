package dev.mailkit.store.mime;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageStructureTest {
    static byte[] crlf(String s) {
        return s.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    static MessageStructure parse(byte[] b) throws IOException {
        MessageStructure s = MessageStructure.parse(new ByteArrayInputStream(b));
        // every structure survives the cache format
        assertThat(MessageStructure.fromBytes(s.toBytes())).isEqualTo(s);
        return s;
    }

    static String header(byte[] msg, MimePart p) {
        return new String(msg, (int) p.headerOffset(), (int) p.headerLength(), StandardCharsets.UTF_8);
    }

    static String body(byte[] msg, MimePart p) {
        return new String(msg, (int) p.bodyOffset(), (int) p.bodyLength(), StandardCharsets.UTF_8);
    }

    @Test
    void singlePartMessage() throws IOException {
        byte[] m = crlf("From: Ann <ann@example.com>\n"
                + "To: bob@example.com,\n  carol@example.com\n"
                + "Subject:   Hello\n\tworld  \n"
                + "Date: Mon, 1 Jan 2024 10:00:00 +0000\n"
                + "Message-ID: <1@example.com>\n"
                + "\n"
                + "line one\nline two\n");
        MessageStructure s = parse(m);
        MimePart p = s.body();
        assertThat(p.type()).isEqualTo("text");
        assertThat(p.subtype()).isEqualTo("plain");
        assertThat(p.parameters()).isEmpty();
        assertThat(p.charset()).isEqualTo("us-ascii");
        assertThat(p.transferEncoding()).isNull();
        assertThat(p.headerOffset()).isZero();
        assertThat(header(m, p)).endsWith("<1@example.com>\r\n\r\n");
        assertThat(body(m, p)).isEqualTo("line one\r\nline two\r\n");
        assertThat(p.bodyLines()).isEqualTo(2);
        assertThat(s.size()).isEqualTo(m.length);
        MessageEnvelope e = s.envelope();
        assertThat(e.from()).isEqualTo("Ann <ann@example.com>");
        assertThat(e.to()).isEqualTo("bob@example.com,  carol@example.com");
        assertThat(e.subject()).isEqualTo("Hello\tworld");
        assertThat(e.date()).isEqualTo("Mon, 1 Jan 2024 10:00:00 +0000");
        assertThat(e.messageId()).isEqualTo("<1@example.com>");
        assertThat(e.cc()).isNull();
        assertThat(e.sender()).isNull();
    }

    @Test
    void firstOccurrenceOfAFieldWinsAndNamesAreCaseInsensitive() throws IOException {
        MessageStructure s = parse(crlf("SUBJECT: first\nsubject: second\nCONTENT-TYPE: Text/HTML; Charset=\"UTF-8\"\n\nx"));
        assertThat(s.envelope().subject()).isEqualTo("first");
        assertThat(s.body().type()).isEqualTo("Text");
        assertThat(s.body().subtype()).isEqualTo("HTML");
        assertThat(s.body().is("text", "html")).isTrue();
        assertThat(s.body().charset()).isEqualTo("UTF-8");
        assertThat(s.body().bodyLines()).isZero();
    }

    static final String NESTED = "From: a@example.com\n"
            + "Subject: nested\n"
            + "MIME-Version: 1.0\n"
            + "Content-Type: multipart/mixed; boundary=\"outer\"\n"
            + "\n"
            + "This is the preamble.\n"
            + "--outer\n"
            + "Content-Type: multipart/alternative; boundary=inner\n"
            + "\n"
            + "--inner\n"
            + "Content-Type: text/plain; charset=utf-8\n"
            + "Content-Transfer-Encoding: quoted-printable\n"
            + "\n"
            + "plain text\n"
            + "second line\n"
            + "--inner\n"
            + "Content-Type: text/html\n"
            + "\n"
            + "<p>html</p>\n"
            + "--inner--\n"
            + "--outer\n"
            + "Content-Type: application/pdf; name=\"a.pdf\"\n"
            + "Content-Disposition: attachment; filename=\"a.pdf\"; size=3\n"
            + "Content-Transfer-Encoding: base64\n"
            + "Content-ID: <pdf@x>\n"
            + "Content-Description: A document\n"
            + "Content-Language: en, de (German)\n"
            + "Content-Location: http://example.com/a.pdf\n"
            + "Content-MD5: Q2hlY2sgSW50ZWdyaXR5IQ==\n"
            + "\n"
            + "QUJD\n"
            + "--outer\n"
            + "Content-Type: message/rfc822\n"
            + "\n"
            + "From: inner@example.com\n"
            + "Subject: inside\n"
            + "Content-Type: multipart/mixed; boundary=deep\n"
            + "\n"
            + "--deep\n"
            + "\n"
            + "deep text\n"
            + "--deep--\n"
            + "--outer--\n"
            + "epilogue\n";

    @Test
    void nestedMultipartWithAttachmentAndEmbeddedMessage() throws IOException {
        byte[] m = crlf(NESTED);
        MessageStructure s = parse(m);
        MimePart root = s.body();
        assertThat(root.isMultipart()).isTrue();
        assertThat(root.parameter("boundary")).isEqualTo("outer");
        assertThat(root.children()).hasSize(3);
        assertThat(body(m, root)).startsWith("This is the preamble.").endsWith("epilogue\r\n");

        MimePart alt = root.children().get(0);
        assertThat(alt.is("multipart", "alternative")).isTrue();
        assertThat(header(m, alt)).isEqualTo("Content-Type: multipart/alternative; boundary=inner\r\n\r\n");
        assertThat(alt.children()).hasSize(2);
        MimePart plain = alt.children().get(0);
        assertThat(plain.charset()).isEqualTo("utf-8");
        assertThat(plain.transferEncoding()).isEqualTo("quoted-printable");
        assertThat(body(m, plain)).isEqualTo("plain text\r\nsecond line");
        assertThat(plain.bodyLines()).isEqualTo(1);
        assertThat(header(m, plain)).startsWith("Content-Type: text/plain").endsWith("printable\r\n\r\n");
        MimePart html = alt.children().get(1);
        assertThat(body(m, html)).isEqualTo("<p>html</p>");
        // as Dovecot: the line break after a nested close delimiter that an enclosing boundary follows at once
        // stays in the nested multipart (--inner--CRLF--outer)
        assertThat(body(m, alt)).startsWith("--inner\r\n").endsWith("--inner--\r\n");
        assertThat(alt.bodyLines()).isEqualTo(11);

        MimePart pdf = root.children().get(1);
        assertThat(pdf.is("application", "pdf")).isTrue();
        assertThat(pdf.parameters()).containsExactly(new MimeParameter("name", "a.pdf"));
        assertThat(pdf.dispositionType()).isEqualTo("attachment");
        assertThat(pdf.dispositionParameters()).containsExactly(new MimeParameter("filename", "a.pdf"),
                new MimeParameter("size", "3"));
        assertThat(pdf.transferEncoding()).isEqualTo("base64");
        assertThat(pdf.id()).isEqualTo("<pdf@x>");
        assertThat(pdf.description()).isEqualTo("A document");
        assertThat(pdf.languages()).containsExactly("en", "de");
        assertThat(pdf.location()).isEqualTo("http://example.com/a.pdf");
        assertThat(pdf.md5()).isEqualTo("Q2hlY2sgSW50ZWdyaXR5IQ==");
        assertThat(body(m, pdf)).isEqualTo("QUJD");
        assertThat(pdf.bodyLines()).isZero();

        MimePart rfc822 = root.children().get(2);
        assertThat(rfc822.is("message", "rfc822")).isTrue();
        MessageStructure inner = rfc822.message();
        assertThat(inner).isNotNull();
        assertThat(inner.envelope().from()).isEqualTo("inner@example.com");
        assertThat(inner.envelope().subject()).isEqualTo("inside");
        assertThat(body(m, rfc822)).startsWith("From: inner@example.com").endsWith("--deep--\r\n");
        assertThat(rfc822.bodyLines()).isEqualTo(8);
        assertThat(inner.size()).isEqualTo(rfc822.bodyLength());
        assertThat(header(m, inner.body())).startsWith("From: inner").endsWith("deep\r\n\r\n");
        assertThat(inner.body().children()).hasSize(1);
        MimePart deep = inner.body().children().get(0);
        assertThat(header(m, deep)).isEqualTo("\r\n");
        assertThat(body(m, deep)).isEqualTo("deep text");
        assertThat(deep.is("text", "plain")).isTrue();
    }

    @Test
    void bareLineFeedsAreLineEndsToo() throws IOException {
        byte[] m = NESTED.getBytes(StandardCharsets.UTF_8);
        MessageStructure s = parse(m);
        MimePart plain = s.body().children().get(0).children().get(0);
        assertThat(body(m, plain)).isEqualTo("plain text\nsecond line");
        assertThat(plain.bodyLines()).isEqualTo(1);
        assertThat(s.body().children().get(2).message().envelope().subject()).isEqualTo("inside");
    }

    @Test
    void digestPartsDefaultToMessageRfc822() throws IOException {
        byte[] m = crlf("Content-Type: multipart/digest; boundary=d\n\n--d\n\nSubject: one\n\nbody\n--d--\n");
        MimePart p = parse(m).body().children().get(0);
        assertThat(p.is("message", "rfc822")).isTrue();
        assertThat(p.message().envelope().subject()).isEqualTo("one");
    }

    @Test
    void encodedMessagePartIsNotParsedInside() throws IOException {
        byte[] m = crlf("Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: message/rfc822\n"
                + "Content-Transfer-Encoding: base64\n\nU3ViamVjdDogeA==\n--b--\n");
        MimePart p = parse(m).body().children().get(0);
        assertThat(p.message()).isNull();
        assertThat(body(m, p)).isEqualTo("U3ViamVjdDogeA==");
    }

    @Test
    void rfc2231ContinuationsAreJoined() throws IOException {
        byte[] m = crlf("Content-Type: application/octet-stream;\n"
                + " name*0=\"long\"; name*1=\"name.txt\"\n"
                + "Content-Disposition: attachment; filename*0*=UTF-8''%E2%82%AC; filename*1=\"rates.txt\"\n\nx");
        MimePart p = parse(m).body();
        assertThat(p.parameters()).containsExactly(new MimeParameter("name", "longname.txt"));
        assertThat(p.dispositionParameters()).containsExactly(
                new MimeParameter("filename*", "UTF-8''%E2%82%ACrates.txt"));
    }

    @Test
    void parametersWithCommentsQuotesAndJunk() throws IOException {
        byte[] m = crlf("Content-Type: text/plain (comment) ; charset = \"iso-8859-1\" (x); junk; "
                + "format=flowed; q=\"a\\\"b\"\n\nx");
        MimePart p = parse(m).body();
        assertThat(p.parameters()).containsExactly(new MimeParameter("charset", "iso-8859-1"),
                new MimeParameter("format", "flowed"), new MimeParameter("q", "a\"b"));
    }

    @Test
    void invalidContentTypeMeansTextPlain() throws IOException {
        for (String ct : List.of("garbage", "/", "text/", "(only a comment)", "")) {
            MimePart p = parse(crlf("Content-Type: " + ct + "\n\nbody\n")).body();
            assertThat(p.is("text", "plain")).as(ct).isTrue();
            assertThat(p.parameters()).isEmpty();
        }
    }

    @Test
    void headerOnlyAndEmptyMessages() throws IOException {
        MessageStructure empty = parse(new byte[0]);
        assertThat(empty.size()).isZero();
        assertThat(empty.body().bodyLength()).isZero();
        assertThat(empty.envelope()).isEqualTo(MessageEnvelope.EMPTY);

        byte[] m = crlf("Subject: no body");
        MessageStructure s = parse(m);
        assertThat(s.envelope().subject()).isEqualTo("no body");
        assertThat(s.body().headerLength()).isEqualTo(m.length);
        assertThat(s.body().bodyLength()).isZero();

        byte[] m2 = crlf("Subject: x\n");
        assertThat(parse(m2).body().headerLength()).isEqualTo(m2.length);
        byte[] m3 = crlf("\nbody only\n");
        MessageStructure s3 = parse(m3);
        assertThat(s3.body().headerLength()).isEqualTo(2);
        assertThat(body(m3, s3.body())).isEqualTo("body only\r\n");
    }

    @Test
    void missingClosingBoundaryEndsAtTheEnd() throws IOException {
        byte[] m = crlf("Content-Type: multipart/mixed; boundary=b\n\n--b\n\none\n--b\n\ntwo\n");
        MimePart root = parse(m).body();
        assertThat(root.children()).hasSize(2);
        assertThat(body(m, root.children().get(1))).isEqualTo("two\r\n");
        assertThat(root.children().get(1).bodyLines()).isEqualTo(1);
    }

    @Test
    void innerPartWithoutClosingBoundaryIsEndedByTheOuterOne() throws IOException {
        byte[] m = crlf("Content-Type: multipart/mixed; boundary=outer\n\n--outer\n"
                + "Content-Type: multipart/mixed; boundary=inner\n\n--inner\n\ninner text\n"
                + "--outer\n\nsecond\n--outer--\n");
        MimePart root = parse(m).body();
        assertThat(root.children()).hasSize(2);
        MimePart inner = root.children().get(0);
        assertThat(inner.children()).hasSize(1);
        assertThat(body(m, inner.children().get(0))).isEqualTo("inner text");
        assertThat(body(m, root.children().get(1))).isEqualTo("second");
    }

    /** The fuzz findings of issue 17: each part lies within its parent; sizes and line counts as Dovecot 2.3's. */
    @Test
    void lineBreakEndingAHeaderOrDelimiterBeforeABoundaryStaysInTheEnclosingParts() throws IOException {
        byte[] m = crlf("Content-Type: multipart/mixed; boundary=a\n\n--a\nContent-Type: message/rfc822\n\n"
                + "Subject: x\n\n--a\nContent-Type: text/plain\n\n\n--a--\n");
        MimePart embedded = parse(m).body().children().get(0);
        assertThat(body(m, embedded)).isEqualTo("Subject: x\r\n\r\n");
        assertThat(embedded.bodyLines()).isEqualTo(2);
        MimePart inner = embedded.message().body();
        assertThat(header(m, inner)).isEqualTo("Subject: x\r\n\r\n");
        assertThat(inner.bodyOffset()).isEqualTo(embedded.bodyOffset() + embedded.bodyLength());
        assertThat(inner.bodyLength()).isZero();

        // an unclosed nested multipart whose last part has an empty body
        byte[] n = crlf("Content-Type: multipart/mixed; boundary=a\n\n--a\n"
                + "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\n--a--\n");
        MimePart nested = parse(n).body().children().get(0);
        assertThat(body(n, nested)).isEqualTo("--b\r\nContent-Type: text/plain\r\n\r\n");
        assertThat(header(n, nested.children().get(0))).isEqualTo("Content-Type: text/plain\r\n\r\n");

        // a delimiter line right before an enclosing boundary: its part is empty, inside the nested multipart
        byte[] d = crlf("Content-Type: multipart/mixed; boundary=a\n\n--a\n"
                + "Content-Type: multipart/mixed; boundary=b\n\n--b\n\none\n--b\n--a--\n");
        MimePart open = parse(d).body().children().get(0);
        assertThat(body(d, open)).isEqualTo("--b\r\n\r\none\r\n--b\r\n");
        assertThat(open.children()).hasSize(2);
        MimePart empty = open.children().get(1);
        assertThat(empty.headerOffset()).isEqualTo(open.bodyOffset() + open.bodyLength());
        assertThat(empty.headerLength() + empty.bodyLength()).isZero();
    }

    @Test
    void boundaryThatNeverAppearsLeavesTheWholeBody() throws IOException {
        byte[] m = crlf("Content-Type: multipart/mixed; boundary=nope\n\njust text\n--other\n");
        MimePart root = parse(m).body();
        assertThat(root.children()).isEmpty();
        assertThat(body(m, root)).isEqualTo("just text\r\n--other\r\n");
        MimePart noParam = parse(crlf("Content-Type: multipart/mixed\n\n--x\n\ny\n")).body();
        assertThat(noParam.isMultipart()).isTrue();
        assertThat(noParam.children()).isEmpty();
    }

    @Test
    void boundaryInsideAPartHeaderEndsThePart() throws IOException {
        byte[] m = crlf("Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n--b\n\ntwo\n--b--\n");
        MimePart root = parse(m).body();
        assertThat(root.children()).hasSize(2);
        MimePart first = root.children().get(0);
        assertThat(header(m, first)).isEqualTo("Content-Type: text/plain");
        assertThat(first.bodyLength()).isZero();
        assertThat(body(m, root.children().get(1))).isEqualTo("two");
    }

    @Test
    void longestMatchingBoundaryWinsAndPrefixesMatch() throws IOException {
        byte[] m = crlf("Content-Type: multipart/mixed; boundary=ab\n\n--ab\n"
                + "Content-Type: multipart/mixed; boundary=abcd\n\n--abcd\n\nx\n--abcd--\n--ab  trailing junk\n\ny\n--ab--\n");
        MimePart root = parse(m).body();
        assertThat(root.children()).hasSize(2);
        assertThat(root.children().get(0).children()).hasSize(1);
        assertThat(body(m, root.children().get(0).children().get(0))).isEqualTo("x");
        assertThat(body(m, root.children().get(1))).isEqualTo("y");
    }

    @Test
    void emptyPartsAndAdjacentBoundaries() throws IOException {
        byte[] m = crlf("Content-Type: multipart/mixed; boundary=b\n\n--b\n--b\n\n--b--");
        MimePart root = parse(m).body();
        assertThat(root.children()).hasSize(2);
        assertThat(root.children().get(0).headerLength()).isZero();
        assertThat(root.children().get(0).bodyLength()).isZero();
        assertThat(root.children().get(1).bodyLength()).isZero();
        assertThat(root.children().get(1).headerLength()).isEqualTo(2);
    }

    @Test
    void headerValuesUtf8OrLatin1() throws IOException {
        byte[] utf8 = "Subject: Grüße\r\n\r\n".getBytes(StandardCharsets.UTF_8);
        assertThat(parse(utf8).envelope().subject()).isEqualTo("Grüße");
        byte[] latin1 = "Subject: Grüße\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(parse(latin1).envelope().subject()).isEqualTo("Grüße");
    }

    @Test
    void corruptCacheBytesAreRefused() throws IOException {
        byte[] good = parse(crlf(NESTED)).toBytes();
        assertThatThrownBy(() -> MessageStructure.fromBytes(new byte[] {9})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MessageStructure.fromBytes(java.util.Arrays.copyOf(good, good.length / 2)))
                .isInstanceOf(IllegalArgumentException.class);
        byte[] huge = {1, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f};
        assertThatThrownBy(() -> MessageStructure.fromBytes(huge)).isInstanceOf(IllegalArgumentException.class);
        byte[] trailing = java.util.Arrays.copyOf(good, good.length + 1);
        assertThatThrownBy(() -> MessageStructure.fromBytes(trailing)).hasMessageContaining("trailing");
    }

    // ------------------------------------------------------------------------------------------ hostile input

    /** A stream of generated bytes, so that huge hostile messages cost no memory in the test either. */
    static InputStream generated(byte[] head, byte[] repeat, long times, byte[] tail) {
        return new InputStream() {
            long n = -1;
            int i;

            byte[] current() {
                return n < 0 ? head : n < times ? repeat : tail;
            }

            @Override
            public int read() {
                byte[] b = new byte[1];
                return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                while (true) {
                    byte[] c = current();
                    if (n > times) {
                        return -1;
                    }
                    if (i < c.length) {
                        int k = Math.min(len, c.length - i);
                        System.arraycopy(c, i, b, off, k);
                        i += k;
                        return k;
                    }
                    i = 0;
                    n++;
                }
            }
        };
    }

    @Test
    void tenThousandLevelsOfNestingAreCut() throws IOException {
        StringBuilder sb = new StringBuilder();
        int levels = 10_000;
        for (int i = 0; i < levels; i++) {
            sb.append("Content-Type: multipart/mixed; boundary=b").append(i).append("\r\n\r\n--b").append(i)
                    .append("\r\n");
        }
        sb.append("\r\ndeepest\r\n");
        for (int i = levels - 1; i >= 0; i--) {
            sb.append("--b").append(i).append("--\r\n");
        }
        byte[] m = sb.toString().getBytes(StandardCharsets.US_ASCII);
        MessageStructure s = parse(m);
        int depth = 0;
        MimePart p = s.body();
        while (!p.children().isEmpty()) {
            p = p.children().get(0);
            depth++;
        }
        assertThat(depth).isEqualTo(MessageStructure.MAX_DEPTH);
        assertThat(p.isMultipart()).isTrue();
        assertThat(s.size()).isEqualTo(m.length);
    }

    @Test
    void deeplyNestedEmbeddedMessagesAreCut() throws IOException {
        String one = "Content-Type: message/rfc822\r\n\r\n";
        byte[] m = (one.repeat(5000) + "Subject: deep\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII);
        MessageStructure s = parse(m);
        int depth = 0;
        MimePart p = s.body();
        while (p.message() != null) {
            p = p.message().body();
            depth++;
        }
        assertThat(depth).isEqualTo(MessageStructure.MAX_DEPTH);
    }

    @Test
    void partCountIsCapped() throws IOException {
        byte[] head = crlf("Content-Type: multipart/mixed; boundary=b\n\n");
        byte[] part = crlf("--b\n\nx\n");
        MessageStructure s = MessageStructure.parse(generated(head, part, 50_000, crlf("--b--\n")));
        assertThat(s.body().children()).hasSize(MessageStructure.MAX_PARTS - 1);
        assertThat(s.size()).isEqualTo(head.length + 50_000L * part.length + 7);
    }

    @Test
    void hugeHeaderFieldIsCutAndTheRestStillParsed() throws IOException {
        byte[] head = crlf("Subject: ");
        byte[] a = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".getBytes(StandardCharsets.US_ASCII);
        byte[] tail = crlf("\nContent-Type: text/html\n\n<p>\n");
        long times = 10L * 1024 * 1024 / a.length; // a 10 MiB line
        MessageStructure s = MessageStructure.parse(generated(head, a, times, tail));
        assertThat(s.envelope().subject().length()).isBetween(64 * 1024 - 1, 64 * 1024);
        assertThat(s.body().is("text", "html")).isTrue();
        assertThat(s.body().bodyLines()).isEqualTo(1);
    }

    @Test
    void hugeFoldedHeaderAndManyFieldsStayBounded() throws IOException {
        byte[] head = crlf("To: first@example.com\n");
        byte[] fold = crlf(" , another@example.com\nX-Filler: 0123456789012345678901234567890123456789\n");
        MessageStructure s = MessageStructure.parse(generated(head, fold, 200_000,
                crlf("Content-Type: text/plain; charset=utf-8\n\nbody\n")));
        assertThat(s.envelope().to()).startsWith("first@example.com , another@example.com");
        assertThat(s.body().charset()).isEqualTo("utf-8");
    }

    @Test
    void manyLongEnvelopeFieldsRespectTheTotalBudget() throws IOException {
        StringBuilder sb = new StringBuilder();
        String big = "x".repeat(60_000);
        for (int i = 0; i < 30; i++) {
            sb.append("Content-Type: multipart/mixed; boundary=b").append(i).append("\r\n")
                    .append("Content-Description: ").append(big).append("\r\n\r\n--b").append(i).append("\r\n");
        }
        sb.append("\r\nend\r\n");
        MessageStructure s = parse(sb.toString().getBytes(StandardCharsets.US_ASCII));
        long kept = 0;
        MimePart p = s.body();
        while (true) {
            kept += p.description() == null ? 0 : p.description().length();
            assertThat(p.isMultipart()).isTrue();
            if (p.children().isEmpty() || !p.children().get(0).isMultipart()) {
                break;
            }
            p = p.children().get(0);
        }
        assertThat(kept).isLessThanOrEqualTo(1024 * 1024);
    }

    @Test
    void hugeLineWithoutLineFeedAndLongBoundaries() throws IOException {
        String boundary = "B".repeat(1000);
        byte[] head = crlf("Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\n\n--" + boundary + "\n\n");
        byte[] line = "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy".getBytes(StandardCharsets.US_ASCII);
        byte[] tail = crlf("\n--" + boundary + "--\n");
        long times = 5L * 1024 * 1024 / line.length;
        MessageStructure s = MessageStructure.parse(generated(head, line, times, tail));
        assertThat(s.body().children()).hasSize(1);
        assertThat(s.body().children().get(0).bodyLength()).isEqualTo(times * line.length);

        // a boundary beyond the limit is cut: parts are still found by its prefix; the result stays bounded
        String huge = "H".repeat(50_000);
        byte[] m = crlf("Content-Type: multipart/mixed; boundary=\"" + huge + "\"\n\n--" + huge + "\n\nx\n--"
                + huge + "\n\ny\n");
        MessageStructure t = parse(m);
        assertThat(t.body().children()).hasSize(2);
        assertThat(t.size()).isEqualTo(m.length);
    }

    @Test
    void crlfSplitAcrossBufferBoundariesIsHandled() throws IOException {
        // lines of every length around the 64 KiB buffer size
        for (int len = 65_478; len < 65_490; len++) {
            String text = "z".repeat(len);
            byte[] m = crlf("Content-Type: multipart/mixed; boundary=b\n\n--b\n\n" + text + "\n--b--\n");
            MimePart p = parse(m).body().children().get(0);
            assertThat(p.bodyLength()).as("length " + len).isEqualTo(len);
            assertThat(p.bodyLines()).isZero();
        }
    }
}
