package dev.mailkit.store.mime;

import jakarta.activation.DataHandler;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.util.ByteArrayDataSource;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Messages written by Jakarta Mail, parsed by mailkit and by Jakarta Mail: the same tree, the same content types,
 * dispositions and file names, and each part's body at mailkit's offsets is exactly Jakarta's raw part content.
 */
class JakartaMailInteropTest {
    private final Session session = Session.getInstance(new Properties());

    private MimeMessage base(String subject) throws MessagingException {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress("Ann Example <ann@example.com>"));
        m.setRecipients(Message.RecipientType.TO, "bob@example.com, \"Carol, C.\" <carol@example.com>");
        m.setRecipients(Message.RecipientType.CC, "dave@example.com");
        m.setReplyTo(InternetAddress.parse("replies@example.com"));
        m.setSubject(subject, "UTF-8");
        m.setSentDate(new Date(1_700_000_000_000L));
        m.setHeader("In-Reply-To", "<parent@example.com>");
        return m;
    }

    private static byte[] bytes(MimeMessage m) throws MessagingException, IOException {
        m.saveChanges();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeTo(out);
        return out.toByteArray();
    }

    private MimeMessage simple() throws MessagingException {
        MimeMessage m = base("Plain hello");
        m.setText("Hello Bob,\r\nthis is a test.\r\n", "UTF-8");
        return m;
    }

    private MimeMessage complex() throws MessagingException, IOException {
        MimeMessage m = base("Grüße mit Anhang – ünïcödé");
        MimeMultipart mixed = new MimeMultipart("mixed");

        MimeMultipart alternative = new MimeMultipart("alternative");
        MimeBodyPart text = new MimeBodyPart();
        text.setText("Text with ümlauts\r\nand a second line\r\n", "UTF-8");
        alternative.addBodyPart(text);
        MimeBodyPart html = new MimeBodyPart();
        html.setContent("<html><body><p>HTML ümlauts</p></body></html>", "text/html; charset=UTF-8");
        alternative.addBodyPart(html);
        MimeBodyPart altPart = new MimeBodyPart();
        altPart.setContent(alternative);
        mixed.addBodyPart(altPart);

        byte[] pdf = new byte[5000];
        new Random(42).nextBytes(pdf);
        MimeBodyPart attachment = new MimeBodyPart();
        attachment.setDataHandler(new DataHandler(new ByteArrayDataSource(pdf, "application/pdf")));
        attachment.setFileName(MimeUtility.encodeText("Rechnung März.pdf", "UTF-8", null));
        attachment.setDisposition(Part.ATTACHMENT);
        attachment.setContentID("<invoice@example.com>");
        attachment.setDescription("The invoice");
        attachment.setContentLanguage(new String[] {"de", "en"});
        mixed.addBodyPart(attachment);

        MimeBodyPart image = new MimeBodyPart();
        image.setDataHandler(new DataHandler(new ByteArrayDataSource(new byte[] {1, 2, 3}, "image/png")));
        image.setFileName("dot.png");
        image.setDisposition(Part.INLINE);
        mixed.addBodyPart(image);

        MimeBodyPart forwarded = new MimeBodyPart();
        forwarded.setContent(simple(), "message/rfc822");
        mixed.addBodyPart(forwarded);

        m.setContent(mixed);
        return m;
    }

    @Test
    void simpleMessage() throws Exception {
        check(bytes(simple()));
    }

    @Test
    void complexMessage() throws Exception {
        byte[] b = bytes(complex());
        MessageStructure s = check(b);
        MessageEnvelope e = s.envelope();
        assertThat(e.from()).isEqualTo("Ann Example <ann@example.com>");
        assertThat(e.subject()).startsWith("=?UTF-8?");
        assertThat(MimeUtility.decodeText(MimeUtility.unfold(e.subject()))).isEqualTo("Grüße mit Anhang – ünïcödé");
        assertThat(e.cc()).isEqualTo("dave@example.com");
        assertThat(e.replyTo()).isEqualTo("replies@example.com");
        assertThat(e.inReplyTo()).isEqualTo("<parent@example.com>");
        assertThat(e.messageId()).startsWith("<").endsWith(">");
        assertThat(e.date()).isNotBlank();

        MimePart root = s.body();
        assertThat(root.is("multipart", "mixed")).isTrue();
        MimePart att = root.children().get(1);
        assertThat(att.dispositionType()).isEqualTo("attachment");
        assertThat(att.id()).isEqualTo("<invoice@example.com>");
        assertThat(att.description()).isEqualTo("The invoice");
        assertThat(att.languages()).containsExactly("de", "en");
        assertThat(att.transferEncoding()).isEqualToIgnoringCase("base64");
        MimePart fwd = root.children().get(3);
        assertThat(fwd.message()).isNotNull();
        assertThat(fwd.message().envelope().subject()).isEqualTo("Plain hello");
        assertThat(fwd.message().body().is("text", "plain")).isTrue();
    }

    @Test
    void manyGeneratedMessages() throws Exception {
        Random r = new Random(7);
        for (int i = 0; i < 25; i++) {
            MimeMessage m = base("generated " + i);
            m.setContent(randomMultipart(r, 0));
            check(bytes(m));
        }
    }

    /**
     * The one place where mailkit follows Dovecot rather than Jakarta Mail: a nested multipart whose close delimiter
     * is followed at once by an enclosing boundary ({@code --inner--CRLF--outer}). Jakarta gives the CRLF to the
     * enclosing boundary (the nested part's raw content ends with {@code --inner--}); Dovecot counts it into the
     * nested part, and IMAP clients see Dovecot's sizes and line counts, so mailkit does too (mailkit-imap's
     * DovecotDifferentialTest checks it against Dovecot). Messages Jakarta writes never have this shape: it puts a
     * CRLF of its own before every boundary, so the generated messages above compare byte for byte.
     */
    @Test
    void nestedCloseDelimiterRightBeforeTheEnclosingBoundaryKeepsItsLineBreakAsInDovecot() throws Exception {
        byte[] b = ("Content-Type: multipart/mixed; boundary=outer\r\n\r\n--outer\r\n"
                + "Content-Type: multipart/alternative; boundary=inner\r\n\r\n--inner\r\n\r\ntext\r\n--inner--\r\n"
                + "--outer--\r\n").getBytes(StandardCharsets.US_ASCII);
        MimePart nested = MessageStructure.parse(new ByteArrayInputStream(b)).body().children().get(0);
        String mine = new String(b, (int) nested.bodyOffset(), (int) nested.bodyLength(), StandardCharsets.US_ASCII);
        assertThat(mine).isEqualTo("--inner\r\n\r\ntext\r\n--inner--\r\n");
        assertThat(nested.bodyLines()).isEqualTo(4);
        MimeMessage j = new MimeMessage(session, new ByteArrayInputStream(b));
        MimeBodyPart theirs = (MimeBodyPart) ((Multipart) j.getContent()).getBodyPart(0);
        try (InputStream in = theirs.getRawInputStream()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo(mine.substring(0,
                    mine.length() - 2));
        }
    }

    private MimeMultipart randomMultipart(Random r, int depth) throws MessagingException, IOException {
        String[] subtypes = {"mixed", "alternative", "related"};
        MimeMultipart mp = new MimeMultipart(subtypes[r.nextInt(subtypes.length)]);
        int n = 1 + r.nextInt(4);
        for (int i = 0; i < n; i++) {
            MimeBodyPart p = new MimeBodyPart();
            int kind = depth < 3 ? r.nextInt(4) : r.nextInt(2);
            if (kind == 0) {
                StringBuilder sb = new StringBuilder();
                for (int l = r.nextInt(30); l > 0; l--) {
                    sb.append("line ").append(r.nextInt()).append(r.nextBoolean() ? " äöü" : "").append("\r\n");
                }
                p.setText(sb.toString(), r.nextBoolean() ? "UTF-8" : "ISO-8859-1", r.nextBoolean() ? "plain" : "html");
            } else if (kind == 1) {
                byte[] data = new byte[r.nextInt(3000)];
                r.nextBytes(data);
                p.setDataHandler(new DataHandler(new ByteArrayDataSource(data, "application/octet-stream")));
                p.setFileName("file" + i + ".bin");
            } else if (kind == 2) {
                p.setContent(randomMultipart(r, depth + 1));
            } else {
                MimeMessage inner = base("inner " + depth);
                inner.setContent(randomMultipart(r, depth + 1));
                inner.saveChanges();
                p.setContent(inner, "message/rfc822");
            }
            mp.addBodyPart(p);
        }
        return mp;
    }

    /** Parses with both and compares the trees. */
    private MessageStructure check(byte[] b) throws Exception {
        MessageStructure s = MessageStructure.parse(new ByteArrayInputStream(b));
        assertThat(s.size()).isEqualTo(b.length);
        assertThat(MessageStructure.fromBytes(s.toBytes())).isEqualTo(s);
        MimeMessage j = new MimeMessage(session, new ByteArrayInputStream(b));
        compare(b, s.body(), j, "message");
        return s;
    }

    private void compare(byte[] b, MimePart mine, Part theirs, String where) throws Exception {
        ContentType ct = new ContentType(theirs.getContentType());
        assertThat(mine.type()).as(where + " type").isEqualToIgnoringCase(ct.getPrimaryType());
        assertThat(mine.subtype()).as(where + " subtype").isEqualToIgnoringCase(ct.getSubType());
        if (theirs.getDisposition() != null) {
            assertThat(mine.dispositionType()).as(where + " disposition").isEqualToIgnoringCase(theirs.getDisposition());
        }
        if (theirs.getFileName() != null && !(theirs instanceof MimeMessage)) {
            String fn = mine.dispositionParameters().stream().filter(p -> p.name().equalsIgnoreCase("filename"))
                    .map(MimeParameter::value).findFirst().orElse(mine.parameter("name"));
            assertThat(MimeUtility.decodeText(fn)).as(where + " file name").isEqualTo(MimeUtility.decodeText(theirs.getFileName()));
        }
        if (theirs instanceof MimeBodyPart) {
            byte[] raw;
            try (InputStream in = ((MimeBodyPart) theirs).getRawInputStream()) {
                raw = in.readAllBytes();
            }
            byte[] body = java.util.Arrays.copyOfRange(b, (int) mine.bodyOffset(),
                    (int) (mine.bodyOffset() + mine.bodyLength()));
            assertThat(body).as(where + " body bytes").isEqualTo(raw);
            long lf = 0;
            for (byte x : body) {
                if (x == '\n') {
                    lf++;
                }
            }
            assertThat(mine.bodyLines()).as(where + " lines").isEqualTo(lf);
        }
        Object content = theirs.isMimeType("multipart/*") || theirs.isMimeType("message/rfc822")
                ? theirs.getContent() : null;
        if (content instanceof Multipart) {
            Multipart mp = (Multipart) content;
            assertThat(mine.children()).as(where + " children").hasSize(mp.getCount());
            List<MimePart> kids = new ArrayList<>(mine.children());
            for (int i = 0; i < mp.getCount(); i++) {
                BodyPart bp = mp.getBodyPart(i);
                compare(b, kids.get(i), bp, where + "." + (i + 1));
            }
        } else if (content instanceof MimeMessage) {
            assertThat(mine.message()).as(where + " embedded message").isNotNull();
            MimeMessage inner = (MimeMessage) content;
            assertThat(mine.message().envelope().subject()).isEqualTo(inner.getHeader("Subject", null));
            compare(b, mine.message().body(), inner, where + ".msg");
        }
        if (theirs instanceof MimeBodyPart && !(theirs.isMimeType("multipart/*"))) {
            String header = new String(b, (int) mine.headerOffset(), (int) mine.headerLength(),
                    StandardCharsets.ISO_8859_1);
            assertThat(header).as(where + " header").endsWith("\r\n\r\n");
        }
    }
}
