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
import java.util.List;

import static dev.mailkit.imap.DovecotDifferentialTest.JOE;

/**
 * The differential test against Dovecot (see {@link DovecotDifferentialTest}) for part sizes where a line break ends
 * a header or a delimiter line right before a boundary (issue 17's fuzz findings): an embedded message that is only a
 * header, a nested multipart left open whose last part has an empty body, and a delimiter line followed at once by
 * an enclosing boundary. BODYSTRUCTURE (sizes, line counts) and the
 * body sections must be Dovecot's.
 */
class DovecotBoundaryDifferentialTest {
    static final List<String> MESSAGES = List.of(
            "Content-Type: multipart/mixed; boundary=\"a\"\n\n--a\nContent-Type: message/rfc822\n\nSubject: x\n\n"
                    + "--a\nContent-Type: text/plain\n\n\n--a--\n",
            "Content-Type: multipart/mixed; boundary=\"a\"\n\n--a\nContent-Type: multipart/mixed; boundary=\"b\"\n\n"
                    + "--b\nContent-Type: text/plain\n\n--a--\n",
            "Content-Type: multipart/mixed; boundary=\"a\"\n\n--a\nContent-Type: multipart/mixed; boundary=\"b\"\n\n"
                    + "--b\n\none\n--b\n--a--\n",
            "Content-Type: multipart/mixed; boundary=\"a\"\n\n--a\nContent-Type: message/rfc822\n\n"
                    + "Content-Type: multipart/digest; boundary=d\n\n--d\n\nSubject: in digest\n\n--a--\nepilogue\n");

    // not compared (a known difference, older than issue 17): the header section (n.MIME, n.HEADER) of a part whose
    // empty line comes right before a boundary; Dovecot leaves that empty line out of the section, mailkit keeps it
    static final List<String> COMMANDS = List.of(
            "FETCH 1:* BODYSTRUCTURE",
            "FETCH 1:* (BODY.PEEK[1] BODY.PEEK[1.MIME] BODY.PEEK[2] BODY.PEEK[1.1])",
            "FETCH 1 (BODY.PEEK[1.TEXT] BODY.PEEK[2.MIME])",
            "FETCH 3 (BODY.PEEK[1.2] BODY.PEEK[1.1.MIME])",
            "FETCH 4 (BODY.PEEK[1.1.TEXT] BODY.PEEK[1.TEXT])");

    @TempDir
    Path dir;

    @Test
    void partSizesAroundBoundariesAreDovecots() throws Exception {
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
        Path forDovecot = DovecotDifferentialTest.copy(written, dir.resolve("dovecot"));
        List<String> dovecot;
        Process p = DovecotImap.start(forDovecot.resolve("example.com").resolve("joe"));
        try {
            ImapConversation c = new ImapConversation(p.getInputStream(), p.getOutputStream());
            c.response(); // PREAUTH
            dovecot = DovecotDifferentialTest.run(c, COMMANDS);
        } finally {
            p.destroyForcibly();
        }
        Path forMailkit = DovecotDifferentialTest.copy(written, dir.resolve("mailkit"));
        try (MaildirMailStore store = MaildirMailStore.builder(forMailkit).fsync(false).hostName("mk").build()) {
            DovecotDifferentialTest.compare("boundaries", dovecot, DovecotDifferentialTest.mailkit(store, COMMANDS));
        }
    }
}
