package dev.mailkit.imap;

import dev.mailkit.imap.testing.DovecotFixture;
import dev.mailkit.store.MailStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

/**
 * CONTEXT=SEARCH (RFC 5267) against Dovecot 2.3, which has it (not CONTEXT=SORT: its SORT updates carry position 0,
 * so sorted updates are checked in {@link ContextSearchTest} alone): PARTIAL ranges and their errors, the order of
 * ESEARCH's items, UPDATE's ADDTO/REMOVEFROM after the session's own STORE, APPEND and EXPUNGE (removals before
 * the EXPUNGE responses, in the numbers the client still has), CANCELUPDATE and its errors. Tags are {@code cN},
 * N the command's index here. (STOREs name only messages whose flags change: Dovecot writes no FETCH for the others,
 * mailkit does, which is not what this test is about.)
 */
class DovecotContextDifferentialTest {
    static final List<String> COMMANDS = List.of(
            "UID SEARCH RETURN (PARTIAL 2:3) ALL", "UID SEARCH RETURN (PARTIAL 3:2 COUNT MIN MAX) ALL",
            "SEARCH RETURN (PARTIAL 7:90) ALL", "UID SEARCH RETURN (PARTIAL 0:9) ALL",
            "UID SEARCH RETURN (PARTIAL 1:2 ALL) ALL", "UID SEARCH RETURN (ALL COUNT MIN MAX) ALL",
            "UID SEARCH RETURN (UPDATE) UNSEEN", "SEARCH RETURN (UPDATE COUNT) SEEN",
            "UID SEARCH RETURN (UPDATE CONTEXT MIN) UNSEEN", "SEARCH RETURN (UPDATE ALL) UNDELETED",
            "STORE 2 +FLAGS (\\Seen)", "STORE 2 -FLAGS (\\Seen)", "UID STORE 1:2 +FLAGS (\\Flagged \\Seen)",
            "APPEND INBOX {15+}\r\nSubject: e\r\n\r\nx", "NOOP", "STORE 1,3 +FLAGS (\\Deleted)", "EXPUNGE",
            "CANCELUPDATE \"c6\"", "CANCELUPDATE \"c6\"", "CANCELUPDATE \"nope\"", "CANCELUPDATE c7",
            "STORE 1,4 -FLAGS (\\Seen)", "CANCELUPDATE \"c7\" \"c8\" \"c9\"", "STORE 1:* +FLAGS (\\Seen)",
            "UID SORT RETURN (PARTIAL 1:2) (REVERSE SUBJECT) UTF-8 ALL",
            "SORT RETURN (PARTIAL 2:4 COUNT) (SUBJECT) UTF-8 ALL", "SEARCH RETURN (CONTEXT) ALL");

    @TempDir
    static Path dir;
    static DovecotFixture fx;
    static List<String> dovecot;

    @BeforeAll
    static void dovecotAnswersOverItsCopy() throws Exception {
        fx = DovecotDepthDifferentialTest.corpus(dir, 6).build();
        dovecot = fx.dovecot(COMMANDS);
    }

    @Test
    void contextSearchAnswersLikeDovecot() throws Exception {
        try (MailStore store = fx.maildirCopy("mailkit")) {
            DovecotFixture.compare("context", dovecot, fx.mailkit(store, COMMANDS));
        }
    }
}
