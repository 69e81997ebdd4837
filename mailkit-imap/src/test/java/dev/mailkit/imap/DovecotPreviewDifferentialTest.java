package dev.mailkit.imap;

import dev.mailkit.imap.testing.DovecotFixture;
import dev.mailkit.store.Flags;
import dev.mailkit.store.maildir.MaildirMailStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

/**
 * FETCH PREVIEW (RFC 8970) against Dovecot 2.3's (set up by {@link DovecotFixture}): the same Maildir served by
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
        DovecotFixture.Builder b = DovecotFixture.builder(dir);
        for (int i = 0; i < MESSAGES.size(); i++) {
            b.message(MESSAGES.get(i).getBytes(StandardCharsets.US_ASCII), Flags.NONE, DovecotFixture.day(i));
        }
        DovecotFixture fx = b.build();
        List<String> commands = List.of("FETCH 1:* (UID PREVIEW)");
        List<String> dovecot = fx.dovecot(commands);
        try (MaildirMailStore store = fx.maildirCopy("mailkit")) {
            DovecotFixture.compare("preview", dovecot, fx.mailkit(store, commands));
        }
    }
}
