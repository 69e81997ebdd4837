package dev.mailkit.imap;

import dev.mailkit.imap.testing.DovecotFixture;
import dev.mailkit.store.MailStore;
import dev.mailkit.store.memory.MemoryMailStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

/**
 * CATENATE (RFC 4469) against Dovecot 2.3 (through {@link DovecotFixture}): the same APPENDs over the same corpus, on
 * the Maildir store (a copy of the Maildir Dovecot served) and the memory store, and the same answers: the bytes each
 * catenated message holds (read back with {@code FETCH BODY.PEEK[]}: whole messages, TEXT, HEADER, HEADER.FIELDS
 * (NOT), MIME headers, parts of a multipart and of an attached message, partial ranges, TEXT literals and literal8s,
 * several CATENATE messages in one MULTIAPPEND), and the response codes of the refusals both make: {@code [BADURL
 * url]} for a wrong UIDVALIDITY, an unknown UID or mailbox, UID 0, URLAUTH, a zero PARTIAL length, a message-list URL,
 * an absolute URL and a mailbox-relative URL with no mailbox selected; {@code [TRYCREATE]}; BAD for an empty list; and
 * a MULTIAPPEND with one bad URL that stores nothing. Left out on purpose, because the servers differ: a section the
 * message does not have (Dovecot appends it as an empty string; mailkit refuses it with {@code [BADURL]}, RFC 4469 5:
 * "the server MUST fail the APPEND if any URL does not resolve"), an absolute URL naming this server and user (Dovecot
 * refuses every absolute URL; mailkit takes its own), a URL with ']' (Dovecot echoes it raw inside its response code,
 * which ends the code early; mailkit %-encodes it), and NULs in a TEXT literal8 (Dovecot turns each into U+FFFD;
 * mailkit stores them as they are, as it does for a plain APPEND of a literal8, see {@link BinaryMultiappendTest}).
 */
class DovecotCatenateDifferentialTest {
    static final String[] CORPUS = {"01-simple.eml", "02-mixed.eml", "04-forward.eml", "07-related.eml"};

    static final List<String> COMMANDS = List.of(
            "APPEND INBOX CATENATE (URL \"/INBOX/;UID=1\" TEXT {7+}\r\nadded\r\n)",
            "APPEND INBOX CATENATE (URL \"/INBOX;UIDVALIDITY=$UV/;UID=2/;SECTION=HEADER\""
                    + " URL \";UID=2/;SECTION=1\" TEXT {2+}\r\n\r\n URL \"/inbox/;UID=2/;SECTION=2.MIME\")",
            "APPEND INBOX CATENATE (URL \";UID=3/;SECTION=HEADER.FIELDS%20(From%20subject)\""
                    + " URL \";UID=3/;SECTION=2.HEADER\" URL \";UID=3/;SECTION=2.TEXT\")",
            "APPEND INBOX CATENATE (URL \";UID=3/;SECTION=HEADER.FIELDS.NOT%20(Subject)\" TEXT {4+}\r\nbody"
                    + " URL \";UID=3/;SECTION=2.1\" URL \";UID=4/;SECTION=1.2\""
                    + " URL \";UID=4/;SECTION=TEXT/;PARTIAL=5.20\")",
            "APPEND INBOX CATENATE (URL \"/INBOX/;UID=1/;PARTIAL=10\" URL \"/INBOX/;UID=1/;PARTIAL=0.8\")",
            "APPEND INBOX CATENATE (TEXT ~{14+}\r\nSubject: 8\r\n\r\n URL \";UID=2/;SECTION=1.MIME\")",
            "NOOP",
            // MULTIAPPEND: three messages, two of them catenated
            "APPEND INBOX (\\Seen) CATENATE (TEXT {11+}\r\nSubject: m1 URL \";UID=1/;SECTION=TEXT\")"
                    + " (\\Flagged) {13+}\r\nSubject: m2\r\n CATENATE (URL \";UID=4/;SECTION=1.1\")",
            "NOOP",
            // refusals: nothing is stored
            "APPEND INBOX CATENATE (URL \"/INBOX;UIDVALIDITY=1/;UID=1\")",
            "APPEND INBOX CATENATE (URL \"/INBOX/;UID=99\")",
            "APPEND INBOX CATENATE (URL \"/INBOX/;UID=0\")",
            "APPEND INBOX CATENATE (URL \"/nosuch/;UID=1\")",
            "APPEND INBOX CATENATE (URL \"/INBOX/;UID=1;URLAUTH=anonymous:internal:0123\")",
            "APPEND INBOX CATENATE (URL \"/INBOX/;UID=1/;PARTIAL=3.0\")",
            "APPEND INBOX CATENATE (URL \"/INBOX/;UID=1?ALL\")",
            "APPEND INBOX CATENATE (URL \"imap://jane@elsewhere.example/INBOX/;UID=1\")",
            "APPEND INBOX CATENATE ()",
            "APPEND nosuch CATENATE (URL \"/INBOX/;UID=1\")",
            "APPEND INBOX {13+}\r\nSubject: ok\r\n CATENATE (URL \"/INBOX/;UID=1\")"
                    + " CATENATE (TEXT {3+}\r\nabc URL \"/INBOX/;UID=77\")",
            "NOOP", "UNSELECT",
            "APPEND INBOX CATENATE (URL \";UID=1\")",
            "SELECT INBOX",
            "FETCH 5:* (UID FLAGS RFC822.SIZE BODY.PEEK[])");

    @TempDir
    Path dir;

    DovecotFixture fixture() throws Exception {
        DovecotFixture.Builder b = DovecotFixture.builder(dir);
        for (int i = 0; i < CORPUS.length; i++) {
            b.resource("/corpus/" + CORPUS[i], "S", DovecotFixture.day(i));
        }
        return b.build();
    }

    @Test
    void theMaildirAndMemoryStoresCatenateLikeDovecot() throws Exception {
        DovecotFixture fx = fixture();
        List<String> dovecot = fx.dovecot(COMMANDS);
        try (MailStore store = fx.maildirCopy("mailkit")) {
            DovecotFixture.compare("catenate-maildir", dovecot, fx.mailkit(store, COMMANDS));
        }
        try (MailStore store = MemoryMailStore.builder().build()) {
            fx.fill(store);
            DovecotFixture.compare("catenate-memory", dovecot, fx.mailkit(store, COMMANDS));
        }
    }
}
