package dev.mailkit.imap;

import dev.mailkit.core.MessageSource;
import dev.mailkit.imap.testing.DovecotImap;
import dev.mailkit.imap.testing.ImapConversation;
import dev.mailkit.store.MailStore;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.maildir.MaildirMailStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static dev.mailkit.imap.DovecotDifferentialTest.JOE;

/**
 * The IMAP4rev1 side of what IMAP4rev2 changes (RFC 9051 Appendix E), against Dovecot 2.3 (which has no IMAP4rev2)
 * over copies of one Maildir: a client that never enables IMAP4rev2 still gets SELECT's RECENT and
 * {@code [UNSEEN n]} and no LIST, \Recent in FETCH FLAGS, SEARCH's {@code * SEARCH} for plain and RECENT/NEW/OLD
 * searches, STATUS RECENT, CHECK, and {@code \Noselect} (not {@code \NonExistent}) for a parent that exists only
 * through its child. {@link Imap4rev2Test} has the IMAP4rev2 side.
 */
class DovecotRev1DifferentialTest {
    static final List<String> COMMANDS = List.of(
            "FETCH 1:* FLAGS", "SEARCH RECENT", "SEARCH NEW", "SEARCH OLD", "SEARCH NOT RECENT", "SEARCH UNSEEN",
            "UID SEARCH ALL", "SEARCH SUBJECT nothing-has-this", "STATUS INBOX (MESSAGES RECENT UNSEEN)", "CHECK",
            "APPEND INBOX {28+}\r\nSubject: appended\r\n\r\nhello\r\n", "NOOP", "FETCH 9 FLAGS",
            "CREATE Projects.2024", "LIST \"\" *", "LIST \"\" %", "LIST \"\" Projects", "DELETE Projects",
            "APPEND Nowhere {4+}\r\nhi\r\n", "COPY 1 Nowhere", "MOVE 1 Nowhere", "LIST \"\" *",
            "UNSELECT", "EXAMINE INBOX");

    @TempDir
    static Path dir;
    static Path written;
    static List<String> dovecot;

    @BeforeAll
    static void dovecotAnswersOverItsCopy() throws Exception {
        DovecotImap.require();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        written = dir.resolve("written");
        try (MaildirMailStore store = MaildirMailStore.builder(written).fsync(false).hostName("mk").build();
             Mailbox inbox = store.account(JOE).open(MailboxName.INBOX)) {
            String[][] corpus = DovecotDifferentialTest.CORPUS;
            for (int i = 0; i < corpus.length; i++) {
                inbox.append(MessageSource.of(DovecotDifferentialTest.crlf(DovecotDifferentialTest.load(
                        corpus[i][0]))), DovecotDifferentialTest.flags(corpus[i][1]), DovecotDifferentialTest.date(i));
            }
        }
        Path copy = DovecotDifferentialTest.copy(written, dir.resolve("dovecot"));
        Process p = DovecotImap.start(copy.resolve("example.com").resolve("joe"));
        try {
            ImapConversation c = new ImapConversation(p.getInputStream(), p.getOutputStream());
            c.response(); // PREAUTH
            dovecot = DovecotDifferentialTest.run(c, COMMANDS);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aClientThatNeverEnablesImap4rev2AnswersLikeDovecot() throws Exception {
        Path copy = DovecotDifferentialTest.copy(written, dir.resolve("mailkit"));
        try (MailStore store = MaildirMailStore.builder(copy).fsync(false).hostName("mk").build()) {
            DovecotDifferentialTest.compare("rev1", dovecot, DovecotDifferentialTest.mailkit(store, COMMANDS));
        }
    }
}
