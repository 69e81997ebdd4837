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

import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static dev.mailkit.imap.DovecotDifferentialTest.JOE;

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
    static Path written;
    static List<String> dovecot;

    @BeforeAll
    static void dovecotAnswersOverItsCopy() throws Exception {
        DovecotImap.require();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        written = dir.resolve("written");
        String[][] corpus = DovecotDepthDifferentialTest.CORPUS;
        try (MaildirMailStore store = MaildirMailStore.builder(written).fsync(false).hostName("mk").build();
             Mailbox inbox = store.account(JOE).open(MailboxName.INBOX)) {
            for (int i = 0; i < 6; i++) {
                inbox.append(MessageSource.of(DovecotDifferentialTest.crlf(DovecotDifferentialTest.load(
                        corpus[i][0]))), DovecotDifferentialTest.flags(corpus[i][1]), DovecotDifferentialTest.date(i));
            }
        }
        Path copy = DovecotDifferentialTest.copy(written, dir.resolve("dovecot"));
        Process p = DovecotImap.start(copy.resolve("example.com").resolve("joe"));
        try {
            ImapConversation c = new ImapConversation(p.getInputStream(), p.getOutputStream());
            c.response(); // PREAUTH
            dovecot = DovecotDepthDifferentialTest.run(c, COMMANDS);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void contextSearchAnswersLikeDovecot() throws Exception {
        Path copy = DovecotDifferentialTest.copy(written, dir.resolve("mailkit"));
        try (MailStore store = MaildirMailStore.builder(copy).fsync(false).hostName("mk").build();
             ImapServer server = ImapServerTest.plain().store(store).build().start();
             Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(20_000);
            ImapConversation c = new ImapConversation(s.getInputStream(), s.getOutputStream());
            c.response();
            c.command("l", "LOGIN joe@example.com secret");
            DovecotDifferentialTest.compare("context", dovecot, DovecotDepthDifferentialTest.run(c, COMMANDS));
        }
    }
}
