package dev.mailkit.imap;

import dev.mailkit.core.MessageSource;
import dev.mailkit.imap.testing.DovecotImap;
import dev.mailkit.imap.testing.ImapConversation;
import dev.mailkit.store.Flags;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.maildir.MaildirMailStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;

import static dev.mailkit.imap.DovecotDifferentialTest.JOE;

/**
 * FETCH PREVIEW (RFC 8970) against Dovecot 2.3's (see {@link DovecotDifferentialTest}): the same Maildir served by
 * both, and the preview text of each message compared. The corpus covers what a preview has to get right: plain text
 * with quoted lines and runs of white space, HTML with scripts, styles, comments, entities and a quoted reply,
 * base64 UTF-8 and quoted-printable Latin-1 bodies, multipart/alternative, an attachment before the text, an
 * encapsulated message, text longer than a preview, and messages with no text at all.
 */
class DovecotPreviewDifferentialTest {
    static final String LONG_WORDS = "word ".repeat(80);

    static final List<String> MESSAGES = List.of(
            "Subject: plain\n\nHello   there,\n\n  how\tare you?\n",
            "Subject: quoted\n\nThanks!\n> you wrote\n>> deeper\n\nBye\n",
            "Subject: only quotes\n\n> all of it\n> is quoted\n",
            "Subject: html\nContent-Type: text/html; charset=utf-8\n\n<html><head><style>p {color:red}</style>"
                    + "<script>alert('x')</script></head><body><!-- hidden --><p>Caf&eacute; &amp; "
                    + "<b>bar</b></p><p>next&nbsp;line</p></body></html>\n",
            "Subject: base64\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n"
                    + Base64.getMimeEncoder().encodeToString("Gr\u00fc\u00dfe aus K\u00f6ln \u2013 sch\u00f6n"
                    .getBytes(StandardCharsets.UTF_8)) + "\n",
            "Subject: qp\nContent-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable"
                    + "\n\nCaf=E9 cr=E8me, soft=\n break\n",
            "Subject: alternative\nContent-Type: multipart/alternative; boundary=b\n\n--b\nContent-Type: text/plain\n\n"
                    + "the plain one\n--b\nContent-Type: text/html\n\n<p>the html one</p>\n--b--\n",
            "Subject: attachment first\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: image/png\n"
                    + "Content-Transfer-Encoding: base64\n\niVBORw0KGgo=\n--b\nContent-Type: text/plain\n\nafter the image\n"
                    + "--b--\n",
            "Subject: embedded\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: message/rfc822\n\n"
                    + "Subject: inner\n\ninner text\n--b--\n",
            "Subject: long\n\n" + LONG_WORDS + "\n",
            "Subject: no text\nContent-Type: application/octet-stream\n\nAAAA\n",
            "Subject: empty\n\n\n");

    @TempDir
    Path dir;

    @Test
    void previewsAreDovecots() throws Exception {
        DovecotImap.require();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path written = dir.resolve("written");
        try (MaildirMailStore store = MaildirMailStore.builder(written).fsync(false).hostName("mk").build();
             Mailbox inbox = store.account(JOE).open(MailboxName.INBOX)) {
            for (int i = 0; i < MESSAGES.size(); i++) {
                byte[] m = MESSAGES.get(i).replace("\n", "\r\n").getBytes(StandardCharsets.US_ASCII);
                inbox.append(MessageSource.of(m), Flags.NONE, DovecotDifferentialTest.date(i));
            }
        }
        List<String> commands = List.of("FETCH 1:* (UID PREVIEW)");
        Path forDovecot = DovecotDifferentialTest.copy(written, dir.resolve("dovecot"));
        List<String> dovecot;
        Process p = DovecotImap.start(forDovecot.resolve("example.com").resolve("joe"));
        try {
            ImapConversation c = new ImapConversation(p.getInputStream(), p.getOutputStream());
            c.response(); // PREAUTH
            dovecot = DovecotDifferentialTest.run(c, commands);
        } finally {
            p.destroyForcibly();
        }
        Path forMailkit = DovecotDifferentialTest.copy(written, dir.resolve("mailkit"));
        try (MaildirMailStore store = MaildirMailStore.builder(forMailkit).fsync(false).hostName("mk").build()) {
            DovecotDifferentialTest.compare("preview", dovecot, DovecotDifferentialTest.mailkit(store, commands));
        }
    }
}
