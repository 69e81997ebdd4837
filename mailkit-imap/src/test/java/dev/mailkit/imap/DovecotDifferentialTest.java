package dev.mailkit.imap;

import dev.mailkit.imap.testing.DovecotFixture;
import dev.mailkit.store.maildir.MaildirMailStore;
import dev.mailkit.store.memory.MemoryMailStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

/**
 * The same IMAP commands sent to Dovecot's {@code imap} and to mailkit, over copies of the same Maildir (written once
 * by mailkit's Maildir store, then copied for each server), give the same results after normalising tags, wording,
 * literal-versus-quoted and item order: flags (with {@code \Recent}), UIDs, sizes, internal dates, ENVELOPE,
 * BODYSTRUCTURE, BODY sections, SEARCH hits, STORE, COPY, APPEND and EXPUNGE effects. The same commands against
 * the in-memory store holding the same messages must give the same results too. The set-up is
 * {@link DovecotFixture}'s.
 */
class DovecotDifferentialTest {
    /** The corpus, with the Maildir flags each message starts with. */
    static final String[][] CORPUS = {
        {"01-simple.eml", "S"}, {"02-mixed.eml", ""}, {"03-alternative.eml", "FS"}, {"04-forward.eml", ""},
        {"05-notype.eml", "D"}, {"06-reply.eml", "RS"}, {"07-related.eml", ""}, {"08-empty-body.eml", ""},
    };

    static final List<String> COMMANDS = List.of(
            "FETCH 1:* (UID FLAGS RFC822.SIZE INTERNALDATE)",
            "FETCH 1:* ENVELOPE",
            "FETCH 1:* BODYSTRUCTURE",
            "FETCH 1:* BODY",
            "FETCH 1:* (BODY.PEEK[HEADER] BODY.PEEK[TEXT])",
            "FETCH 1:* BODY.PEEK[1]",
            "FETCH 1:* (BODY.PEEK[1.MIME] BODY.PEEK[2] BODY.PEEK[2.MIME])",
            "FETCH 4 (BODY.PEEK[2.HEADER] BODY.PEEK[2.TEXT] BODY.PEEK[2.1] BODY.PEEK[2.2.MIME] BODY.PEEK[2.2] "
                    + "BODY.PEEK[2.1.MIME])",
            "FETCH 7 (BODY.PEEK[1.1] BODY.PEEK[1.2] BODY.PEEK[1.2.MIME] BODY.PEEK[2] BODY.PEEK[3])",
            "FETCH 1:* BODY.PEEK[HEADER.FIELDS (From Subject X-Folded)]",
            "FETCH 1:* BODY.PEEK[HEADER.FIELDS.NOT (Received Message-ID Date)]",
            "FETCH 1:* (BODY.PEEK[]<0.20> BODY.PEEK[TEXT]<5.10>)",
            "FETCH 2 (RFC822.HEADER RFC822.SIZE)",
            "FETCH 1:8 (BODY.PEEK[1.HEADER] BODY.PEEK[1.TEXT] BODY.PEEK[9])",
            "SEARCH ALL", "SEARCH SEEN", "SEARCH UNSEEN", "SEARCH FLAGGED", "SEARCH ANSWERED", "SEARCH DRAFT",
            "SEARCH NEW", "SEARCH OLD", "SEARCH RECENT", "SEARCH UNDRAFT UNFLAGGED",
            "SEARCH FROM ann", "SEARCH TO joe", "SEARCH CC team", "SEARCH BCC hidden", "SEARCH SUBJECT lunch",
            "SEARCH SUBJECT newsletter", "SEARCH FROM \"doe, john\"",
            "SEARCH BODY needle-word", "SEARCH CHARSET UTF-8 BODY {7+}\r\nmünchen", "SEARCH TEXT joe",
            "SEARCH HEADER X-Folded continued", "SEARCH HEADER Message-ID simple", "SEARCH HEADER Sender \"\"",
            "SEARCH LARGER 500", "SEARCH SMALLER 300",
            "SEARCH SINCE 4-Jan-2024", "SEARCH BEFORE 3-Jan-2024", "SEARCH ON 5-Jan-2024",
            "SEARCH SENTSINCE 4-Jan-2024", "SEARCH SENTBEFORE 3-Jan-2024", "SEARCH SENTON 2-Jan-2024",
            "SEARCH OR FROM bob FROM legacy", "SEARCH NOT SEEN", "SEARCH (FROM ann SEEN)",
            "SEARCH 2:4", "UID SEARCH UID 3:*", "SEARCH 2,5:*", "UID SEARCH SUBJECT order",
            "STORE 2 +FLAGS (\\Flagged)", "STORE 3 -FLAGS (\\Seen)", "STORE 4 FLAGS (\\Answered $Work)",
            "STORE 6 -FLAGS.SILENT (\\Answered)",
            "FETCH 1:* FLAGS", "SEARCH KEYWORD $Work", "SEARCH UNKEYWORD $Work",
            "STORE 5 +FLAGS.SILENT (\\Deleted)", "EXPUNGE", "FETCH 1:* UID",
            "LIST \"\" *", "STATUS INBOX (MESSAGES UNSEEN UIDNEXT RECENT)",
            "UID FETCH 1:* (FLAGS)", "FETCH 9 FLAGS", "UID FETCH 99 FLAGS",
            "COPY 1:2 INBOX", "FETCH 1:* (UID FLAGS)", "UID STORE 9 +FLAGS.SILENT (\\Deleted)", "UID EXPUNGE 9",
            "APPEND INBOX (\\Seen $Appended) \"10-Jan-2024 10:00:00 +0000\" {28+}\r\nSubject: appended\r\n\r\nhello\r\n",
            "FETCH 1:* (UID FLAGS RFC822.SIZE INTERNALDATE ENVELOPE)", "SEARCH SUBJECT appended",
            "UID SEARCH RETURN (MIN MAX COUNT) ALL", "SEARCH RETURN (ALL) UNSEEN", "EXAMINE INBOX",
            "FETCH 1 BODY[TEXT]", "FETCH 1 FLAGS", "STORE 1 +FLAGS (\\Flagged)", "FETCH 1 FLAGS", "EXPUNGE",
            "UID EXPUNGE 1:*", "CLOSE");
    // not compared: MOVE out of an EXAMINEd mailbox, which Dovecot performs and mailkit refuses (RFC 3501 6.3.2:
    // EXAMINE permits no change to the mailbox); see MailboxCommandsTest.moveOutOfAnExaminedMailboxIsRefused...

    /** The directory of the fixture: the Maildir mailkit's store wrote the corpus into, and each server's copy. */
    @TempDir
    static Path dir;
    static DovecotFixture fx;
    /** Dovecot's answers over its copy of the Maildir. */
    static List<String> dovecot;

    /** The corpus with its flags, on the 1st, 2nd, ... of January 2024. */
    static DovecotFixture.Builder corpus(Path dir) {
        DovecotFixture.Builder b = DovecotFixture.builder(dir);
        for (int i = 0; i < CORPUS.length; i++) {
            b.resource("/corpus/" + CORPUS[i][0], CORPUS[i][1], DovecotFixture.day(i));
        }
        return b;
    }

    @BeforeAll
    static void dovecotAnswersOverItsCopy() throws Exception {
        fx = corpus(dir).build();
        dovecot = fx.dovecot(COMMANDS);
    }

    /** mailkit's Maildir store serving its own copy of the same Maildir, as a restarted server would. */
    @Test
    void theMaildirStoreOverACopyOfTheSameMaildirAnswersLikeDovecot() throws Exception {
        try (MaildirMailStore store = fx.maildirCopy("mailkit")) {
            DovecotFixture.compare("maildir", dovecot, fx.mailkit(store, COMMANDS));
        }
    }

    /** The in-memory store (mailkit-test's), holding the same messages, flags and dates. */
    @Test
    void theMemoryStoreWithTheSameMessagesAnswersLikeDovecot() throws Exception {
        try (MemoryMailStore store = MemoryMailStore.create()) {
            fx.fill(store);
            DovecotFixture.compare("memory", dovecot, fx.mailkit(store, COMMANDS));
        }
    }
}
