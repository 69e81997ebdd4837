package dev.mailkit.imap;

import dev.mailkit.core.MessageSource;
import dev.mailkit.imap.testing.DovecotImap;
import dev.mailkit.imap.testing.ImapConversation;
import dev.mailkit.store.Flags;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.maildir.MaildirMailStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * Messages with raw UTF-8 header fields (RFC 6532) to a client that has not enabled UTF8=ACCEPT: mailkit answers as
 * Dovecot does (8-bit strings as literals of the raw octets, no downgrading), over copies of one Maildir.
 */
class Utf8DifferentialTest {
    static final String[] CORPUS = {"01-utf8-header.eml", "02-ascii.eml"};

    static final List<String> COMMANDS = List.of(
            "FETCH 1:* ENVELOPE",
            "FETCH 1:* BODYSTRUCTURE",
            "FETCH 1:* BODY",
            "FETCH 1:* BODY.PEEK[HEADER.FIELDS (From To Subject)]",
            "FETCH 1 (BODY.PEEK[1] BODY.PEEK[2.MIME])",
            "SEARCH SUBJECT ascii",
            "SEARCH CHARSET UTF-8 SUBJECT {7+}\r\nGrüße",
            "SEARCH CHARSET UTF-8 BODY {7+}\r\nMünchen",
            "SEARCH CHARSET UTF-8 FROM {5+}\r\nShöp",
            "SEARCH CHARSET UTF-8 TO {6+}\r\njörg@",
            "SEARCH FROM shop",
            "CREATE Entw&APw-rfe",
            "CREATE \"Entw&APw\"",
            "LIST \"\" *",
            "STATUS Entw&APw-rfe (MESSAGES)");

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
             Mailbox inbox = store.account(DovecotDifferentialTest.JOE).open(MailboxName.INBOX)) {
            for (int i = 0; i < CORPUS.length; i++) {
                inbox.append(MessageSource.of(DovecotDifferentialTest.crlf(load(CORPUS[i]))), Flags.NONE,
                        DovecotDifferentialTest.date(i));
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
    void utf8HeaderFieldsAreAnsweredAsDovecotAnswersThem() throws Exception {
        Path copy = DovecotDifferentialTest.copy(written, dir.resolve("mailkit"));
        try (MaildirMailStore store = MaildirMailStore.builder(copy).fsync(false).hostName("mk").build()) {
            DovecotDifferentialTest.compare("utf8", dovecot, DovecotDifferentialTest.mailkit(store, COMMANDS));
        }
    }

    static byte[] load(String name) throws Exception {
        try (InputStream in = Utf8DifferentialTest.class.getResourceAsStream("/corpus-utf8/" + name)) {
            return in.readAllBytes();
        }
    }
}
