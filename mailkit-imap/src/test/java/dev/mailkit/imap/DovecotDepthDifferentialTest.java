package dev.mailkit.imap;

import dev.mailkit.core.MessageSource;
import dev.mailkit.imap.testing.DovecotImap;
import dev.mailkit.imap.testing.ImapConversation;
import dev.mailkit.imap.testing.ImapTranscript;
import dev.mailkit.store.MailStore;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.maildir.MaildirMailStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.mailkit.imap.DovecotDifferentialTest.JOE;

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
    static Path written;
    static List<String> dovecot;

    @BeforeAll
    static void dovecotAnswersOverItsCopy() throws Exception {
        DovecotImap.require();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        written = dir.resolve("written");
        try (MaildirMailStore store = MaildirMailStore.builder(written).fsync(false).hostName("mk").build();
             Mailbox inbox = store.account(JOE).open(MailboxName.INBOX)) {
            for (int i = 0; i < CORPUS.length; i++) {
                inbox.append(MessageSource.of(DovecotDifferentialTest.crlf(DovecotDifferentialTest.load(
                        CORPUS[i][0]))), DovecotDifferentialTest.flags(CORPUS[i][1]), DovecotDifferentialTest.date(i));
            }
        }
        Path copy = DovecotDifferentialTest.copy(written, dir.resolve("dovecot"));
        Process p = DovecotImap.start(copy.resolve("example.com").resolve("joe"));
        try {
            ImapConversation c = new ImapConversation(p.getInputStream(), p.getOutputStream());
            c.response(); // PREAUTH
            dovecot = run(c, COMMANDS);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void theMaildirStoreAnswersLikeDovecot() throws Exception {
        Path copy = DovecotDifferentialTest.copy(written, dir.resolve("mailkit"));
        try (MailStore store = MaildirMailStore.builder(copy).fsync(false).hostName("mk").build()) {
            try (ImapServer server = ImapServerTest.plain().store(store).build().start();
                 Socket s = new Socket("127.0.0.1", server.port())) {
                s.setSoTimeout(20_000);
                ImapConversation c = new ImapConversation(s.getInputStream(), s.getOutputStream());
                c.response();
                c.command("l", "LOGIN joe@example.com secret");
                DovecotDifferentialTest.compare("depth", relativeModSeqs(dovecot), relativeModSeqs(run(c, COMMANDS)));
            }
        }
    }

    /**
     * SELECT INBOX, then each command with $UV and $HMS replaced by what this server said (its UIDVALIDITY, its
     * first HIGHESTMODSEQ), the answers normalised.
     */
    static List<String> run(ImapConversation c, List<String> commands) throws Exception {
        List<String> out = new ArrayList<>();
        byte[] select = c.command("s", "SELECT INBOX");
        String uv = first(UIDVALIDITY, new String(select, StandardCharsets.UTF_8));
        String hms = null;
        out.addAll(ImapTranscript.normalize(select));
        for (int i = 0; i < commands.size(); i++) {
            String cmd = commands.get(i);
            out.add("### " + cmd);
            byte[] r = c.command("c" + i, cmd.replace("$UV", uv).replace("$HMS", hms == null ? "1" : hms));
            if (hms == null) {
                hms = first(HIGHESTMODSEQ, new String(r, StandardCharsets.UTF_8));
            }
            out.addAll(ImapTranscript.normalize(r));
        }
        return out;
    }

    static final Pattern UIDVALIDITY = Pattern.compile("\\[UIDVALIDITY (\\d+)]");
    static final Pattern HIGHESTMODSEQ = Pattern.compile("\\[HIGHESTMODSEQ (\\d+)]");

    static String first(Pattern p, String s) {
        Matcher m = p.matcher(s);
        return m.find() ? m.group(1) : null;
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
