package dev.mailkit.imap;

import dev.mailkit.imap.testing.DovecotFixture;
import dev.mailkit.store.MailStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The differential test against Dovecot (see {@link DovecotDifferentialTest}) for what issue 16 asked beyond the
 * basics: CONDSTORE's HIGHESTMODSEQ announcement and ESEARCH MIN/MAX with MODSEQ, LSUB's \Noselect parents and
 * LIST (SUBSCRIBED RECURSIVEMATCH)'s CHILDINFO, SEARCH FROM over addresses with comments inside them, and QRESYNC
 * (SELECT's resynchronisation, VANISHED instead of EXPUNGE, UID FETCH's VANISHED).
 */
class DovecotDepthDifferentialTest {
    static final String[][] CORPUS = {
        {"01-simple.eml", "S"}, {"02-mixed.eml", ""}, {"03-alternative.eml", "FS"}, {"04-forward.eml", ""},
        {"05-notype.eml", "D"}, {"06-reply.eml", "RS"}, {"07-related.eml", ""}, {"08-empty-body.eml", ""},
        {"09-comments.eml", ""}, {"10-root-base64.eml", ""}, {"11-uuencode.eml", ""},
    };

    static final List<String> COMMANDS = List.of(
            "SEARCH FROM user@domain.example", "SEARCH FROM \"user@domain\"", "SEARCH FROM domain.example",
            "SEARCH TO team@example.com", "SEARCH TO \"joe@example.com\"", "SEARCH FROM \"the user\"",
            "FETCH 9 ENVELOPE",
            // BINARY (RFC 3516): decoded parts, sizes, partial ranges, the whole message, missing parts
            "FETCH 2 (BINARY.PEEK[1] BINARY.PEEK[2] BINARY.SIZE[1] BINARY.SIZE[2])",
            "FETCH 2 (BINARY.PEEK[2]<10.20> BINARY.PEEK[]<0.30> BINARY.SIZE[])",
            "FETCH 1:* (BINARY.SIZE[1])", "FETCH 4 (BINARY.PEEK[2] BINARY.SIZE[2.1] BINARY.PEEK[2.2])",
            "FETCH 7 (BINARY.PEEK[1.1] BINARY.PEEK[1.2] BINARY.PEEK[2] BINARY.SIZE[3])",
            "FETCH 3 (BINARY.PEEK[9] BINARY.SIZE[9])", "FETCH 8 (BINARY[1])", "FETCH 8 FLAGS",
            "FETCH 1 (BINARY.PEEK[1]<5>)",
            "FETCH 10 (BINARY.PEEK[] BINARY.SIZE[] BINARY.PEEK[1] BINARY.SIZE[1] BINARY.PEEK[1]<3.4>)",
            "FETCH 11 (BINARY.PEEK[1])", "FETCH 11 (BINARY.PEEK[2])", "FETCH 11 (BINARY.SIZE[])",
            "FETCH 11 (BINARY.PEEK[3] BINARY.SIZE[3])", "FETCH 11 (BODY.PEEK[2])", "FETCH 10:11 (BINARY.SIZE[1])",
            "FETCH 9:11 (BINARY.SIZE[2])", "FETCH 11 (BINARY[2])", "FETCH 11 FLAGS",
            // MULTIAPPEND (RFC 3502): all or nothing; a literal8 (RFC 3516) among them
            "APPEND INBOX (\\Seen) {10+}\r\nSubject: a (\\Flagged) {0+}\r\n", "NOOP",
            "APPEND INBOX (\\Seen) {10+}\r\nSubject: a (\\Flagged) \"11-Jan-2024 10:00:00 +0000\" {10+}\r\n"
                    + "Subject: b ~{10+}\r\nSubject: c", "NOOP", "FETCH 12:* (FLAGS RFC822.SIZE BODY.PEEK[])",
            "FETCH 12:* (BINARY.PEEK[] BINARY.SIZE[1])",
            // CONDSTORE enabled by a FETCH: HIGHESTMODSEQ first
            "FETCH 1 (FLAGS MODSEQ)", "STORE 2 +FLAGS (\\Flagged)", "STORE 5 +FLAGS (\\Seen)",
            "UID SEARCH RETURN (MIN) MODSEQ 1", "UID SEARCH RETURN (MAX) MODSEQ 1",
            "UID SEARCH RETURN (MIN MAX) MODSEQ 1", "UID SEARCH RETURN (COUNT) MODSEQ 1",
            "UID SEARCH RETURN (MIN) FLAGGED MODSEQ 1", "SEARCH RETURN (MAX) SEEN MODSEQ 1",
            "SEARCH MODSEQ 1",
            // subscriptions
            "CREATE t.a.b", "CREATE t.c.d", "CREATE t.e", "SUBSCRIBE t.a.b", "SUBSCRIBE t.c.d", "SUBSCRIBE t.e",
            "LSUB \"\" t.%", "LSUB \"\" t.*", "LSUB \"\" *", "LSUB \"\" %", "LSUB t. %",
            "LIST (SUBSCRIBED RECURSIVEMATCH) \"\" t.% RETURN (CHILDREN)",
            "LIST (SUBSCRIBED RECURSIVEMATCH) \"\" * RETURN (CHILDREN)",
            "LIST (SUBSCRIBED RECURSIVEMATCH) \"\" (t.% t.a.%) RETURN (CHILDREN)",
            "LIST (SUBSCRIBED) \"\" * RETURN (CHILDREN)",
            // QRESYNC ($UV: the mailbox's UIDVALIDITY, $HMS: the first HIGHESTMODSEQ announced, each server's own)
            "STORE 3:4 +FLAGS.SILENT (\\Deleted)", "EXPUNGE",
            "APPEND INBOX {29+}\r\nSubject: appended1\r\n\r\nhello\r\n", "NOOP", "SELECT INBOX (QRESYNC ($UV $HMS))",
            "UNSELECT", "ENABLE QRESYNC", "SELECT INBOX (QRESYNC ($UV $HMS))",
            "SELECT INBOX (QRESYNC ($UV $HMS 1:9))", "SELECT INBOX (QRESYNC ($UV $HMS 1:2,5:9))",
            "EXAMINE INBOX (QRESYNC ($UV $HMS 2:3 (1:2 1:2)))", "SELECT INBOX (QRESYNC (1 $HMS))",
            "STORE 1 +FLAGS (\\Deleted)", "EXPUNGE",
            "UID FETCH 1:* (FLAGS) (CHANGEDSINCE $HMS VANISHED)", "UID FETCH 2:4 (FLAGS) (CHANGEDSINCE 1 VANISHED)",
            "FETCH 1 (FLAGS) (CHANGEDSINCE 1 VANISHED)", "UID FETCH 1:* (FLAGS) (VANISHED)",
            "APPEND INBOX {28+}\r\nSubject: appended\r\n\r\nhello\r\n", "NOOP",
            "STORE 1 +FLAGS.SILENT (\\Deleted)", "UID EXPUNGE 1:*", "SELECT INBOX (QRESYNC ($UV $HMS 1:20))",
            // STATUS=SIZE (RFC 8438) and CREATE-SPECIAL-USE (RFC 6154)
            "COPY 1:3 t.e", "STATUS t.e (MESSAGES SIZE)", "STATUS t.a.b (SIZE)",
            "LIST \"\" t.e RETURN (STATUS (SIZE MESSAGES))",
            // (the uses themselves differ on purpose: this Dovecot has no metadata dictionary, accepts any use and
            // forgets it; mailkit keeps them and refuses unknown ones with NO [USEATTR], see MailboxCommandsTest)
            "CREATE arch (USE (\\Archive))", "CREATE two (USE (\\Sent \\Drafts))", "CREATE none (USE ())",
            "LIST \"\" none",
            // SEARCHRES (RFC 5182): $ in FETCH, STORE, SEARCH and UID commands; what MIN/MAX/COUNT save
            "SEARCH RETURN (SAVE) SEEN", "FETCH $ (UID)", "UID FETCH $ (RFC822.SIZE)", "SEARCH $", "UID SEARCH $",
            "SEARCH NOT $", "UID SEARCH UID $", "SEARCH RETURN (SAVE MIN) ALL", "FETCH $ (UID)",
            "SEARCH RETURN (MAX SAVE) ALL", "FETCH $ (UID)", "UID SEARCH RETURN (SAVE MIN MAX) ALL", "FETCH $ (UID)",
            "SEARCH RETURN (COUNT SAVE) 2:4", "FETCH $ (UID)", "STORE $ +FLAGS.SILENT (\\Answered)",
            "SEARCH RETURN (SAVE ALL) ANSWERED", "SEARCH RETURN (SAVE) SUBJECT nothing-has-this", "FETCH $ (UID)",
            "SEARCH $", "SEARCH 1,$", "SEARCH RETURN (SAVE) ALL", "STORE 1 +FLAGS.SILENT (\\Deleted)", "EXPUNGE",
            "FETCH $ (UID)", "UNSELECT", "SELECT INBOX", "FETCH $ (UID)");

    @TempDir
    static Path dir;
    static DovecotFixture fx;
    static List<String> dovecot;

    /** The first {@code n} messages of the corpus, with their flags, on the 1st, 2nd, ... of January 2024. */
    static DovecotFixture.Builder corpus(Path dir, int n) {
        DovecotFixture.Builder b = DovecotFixture.builder(dir);
        for (int i = 0; i < n; i++) {
            b.resource("/corpus/" + CORPUS[i][0], CORPUS[i][1], DovecotFixture.day(i));
        }
        return b;
    }

    @BeforeAll
    static void dovecotAnswersOverItsCopy() throws Exception {
        fx = corpus(dir, CORPUS.length).transcript(DovecotDepthDifferentialTest::relativeModSeqs).build();
        dovecot = fx.dovecot(COMMANDS);
    }

    /** ($UV and $HMS in the commands are each server's own, see {@code DifferentialSession.run}.) */
    @Test
    void theMaildirStoreAnswersLikeDovecot() throws Exception {
        try (MailStore store = fx.maildirCopy("mailkit")) {
            DovecotFixture.compare("depth", dovecot, fx.mailkit(store, COMMANDS));
        }
    }

    /**
     * MODSEQs relative to the first HIGHESTMODSEQ announced: the servers number the changes before it differently
     * (Dovecot gives every message it found the same one, mailkit each append its own), those after it alike. A
     * MODSEQ at or below it reads "old", one above it "+n".
     */
    static List<String> relativeModSeqs(List<String> transcript) {
        long base = -1;
        List<String> out = new ArrayList<>();
        for (String l : transcript) {
            Matcher h = Pattern.compile("\\[HIGHESTMODSEQ (\\d+)]").matcher(l);
            if (base < 0 && h.find()) {
                base = Long.parseLong(h.group(1));
            }
            if (base < 0) {
                out.add(l);
                continue;
            }
            Matcher m = Pattern.compile("(MODSEQ \\(?)(\\d+)").matcher(l);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                long v = Long.parseLong(m.group(2));
                m.appendReplacement(sb, m.group(1) + (v <= base ? "old" : "+" + (v - base)));
            }
            m.appendTail(sb);
            out.add(sb.toString());
        }
        return out;
    }
}
