package dev.mailkit.imap;

import dev.mailkit.imap.testing.DovecotFixture;
import dev.mailkit.store.maildir.MaildirMailStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

/**
 * The IMAP4rev1 side of what IMAP4rev2 changes (RFC 9051 Appendix E), against Dovecot 2.3 (which has no IMAP4rev2)
 * over copies of one Maildir: a client that never enables IMAP4rev2 still gets SELECT's RECENT and
 * {@code [UNSEEN n]} and no LIST, \Recent in FETCH FLAGS, SEARCH's {@code * SEARCH} for plain and RECENT/NEW/OLD
 * searches, STATUS RECENT, CHECK, and {@code \Noselect} (not {@code \NonExistent}) for a parent that exists only
 * through its child. {@link Imap4rev2Test} has the IMAP4rev2 side. The set-up is {@link DovecotFixture}'s, with
 * {@link DovecotDifferentialTest}'s corpus.
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
    static DovecotFixture fx;
    static List<String> dovecot;

    @BeforeAll
    static void dovecotAnswersOverItsCopy() throws Exception {
        fx = DovecotDifferentialTest.corpus(dir).build();
        dovecot = fx.dovecot(COMMANDS);
    }

    @Test
    void aClientThatNeverEnablesImap4rev2AnswersLikeDovecot() throws Exception {
        try (MaildirMailStore store = fx.maildirCopy("mailkit")) {
            DovecotFixture.compare("rev1", dovecot, fx.mailkit(store, COMMANDS));
        }
    }
}
