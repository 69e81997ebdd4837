package dev.mailkit.imap;

import dev.mailkit.core.MessageSource;
import dev.mailkit.imap.testing.RawImap;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.Flags;
import dev.mailkit.store.MailAccount;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.QuotaLimits;
import dev.mailkit.store.QuotaPolicy;
import dev.mailkit.store.SystemFlag;
import dev.mailkit.store.memory.MemoryMailStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every mailbox command over a real socket against the in-memory store. */
class MailboxCommandsTest {
    /** CREATE's OK, with the new mailbox's MAILBOXID (RFC 8474). */
    static final String CREATED = "OK \\[MAILBOXID \\(F\\d+\\)\\] Create completed";

    static final String M1 = "From: Ann <ann@example.com>\r\nTo: joe@example.com\r\nSubject: first\r\n"
            + "Date: Mon, 1 Jan 2024 10:00:00 +0000\r\nMessage-ID: <m1@x>\r\n\r\nhello world\r\n";
    static final String M2 = "From: Bob <bob@example.com>\r\nSubject: second\r\nContent-Type: multipart/mixed; "
            + "boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nbody two\r\n--b\r\nContent-Type: text/html\r\n"
            + "\r\n<p>html</p>\r\n--b--\r\n";
    static final String M3 = "From: ann@example.com\r\nSubject: third\r\n\r\nneedle in a haystack\r\n";

    MemoryMailStore store;
    MailAccount account;
    ImapServer server;

    @BeforeEach
    void start() {
        store = MemoryMailStore.builder().standardMailboxes().build();
        account = store.account(AccountId.parse("joe@example.com"));
        try (Mailbox inbox = account.open(MailboxName.INBOX)) {
            inbox.append(MessageSource.of(M1.getBytes()), Flags.of(SystemFlag.SEEN), Instant.parse("2024-01-01T10:00:00Z"));
            inbox.append(MessageSource.of(M2.getBytes()), Flags.NONE, Instant.parse("2024-01-02T10:00:00Z"));
            inbox.append(MessageSource.of(M3.getBytes()), Flags.NONE, Instant.parse("2024-01-03T10:00:00Z"));
        }
        server = ImapServerTest.plain().store(store).build().start();
    }

    @AfterEach
    void stop() {
        server.close();
        store.close();
    }

    RawImap login() throws Exception {
        RawImap c = new RawImap(server.port());
        c.greeting();
        assertThat(c.tagged("LOGIN joe@example.com secret")).endsWith("Logged in");
        return c;
    }

    RawImap selected() throws Exception {
        RawImap c = login();
        assertThat(c.tagged("SELECT INBOX")).isEqualTo("OK [READ-WRITE] Select completed");
        return c;
    }

    @Test
    void selectAndExamineReportTheMailbox() throws Exception {
        try (RawImap c = login()) {
            List<String> r = c.command("SELECT inbox");
            assertThat(r).contains("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)", "* 3 EXISTS",
                    "* 3 RECENT", "* OK [UNSEEN 2] First unseen.", "* OK [UIDNEXT 4] Predicted next UID",
                    "t2 OK [READ-WRITE] Select completed");
            assertThat(r).anyMatch(l -> l.startsWith("* OK [UIDVALIDITY "));
            assertThat(r).anyMatch(l -> l.startsWith("* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen "
                    + "\\Draft \\*)]"));
            List<String> e = c.command("EXAMINE INBOX (CONDSTORE)");
            assertThat(e).contains("* 0 RECENT", "* OK [PERMANENTFLAGS ()] Read-only mailbox",
                    "t3 OK [READ-ONLY] Examine completed");
            assertThat(e).anyMatch(l -> l.startsWith("* OK [HIGHESTMODSEQ "));
            assertThat(c.tagged("SELECT Nonexistent")).startsWith("NO [NONEXISTENT]");
            assertThat(c.tagged("FETCH 1 FLAGS")).isEqualTo("BAD No mailbox selected");
        }
    }

    @Test
    void fetchIndexDataSectionsAndStructure() throws Exception {
        try (RawImap c = selected()) {
            assertThat(c.command("FETCH 1:* (UID FLAGS RFC822.SIZE)")).containsExactly(
                    "* 1 FETCH (UID 1 FLAGS (\\Seen \\Recent) RFC822.SIZE " + M1.length() + ")",
                    "* 2 FETCH (UID 2 FLAGS (\\Recent) RFC822.SIZE " + M2.length() + ")",
                    "* 3 FETCH (UID 3 FLAGS (\\Recent) RFC822.SIZE " + M3.length() + ")",
                    "t3 OK Fetch completed");
            assertThat(c.command("UID FETCH 2 (BODY.PEEK[HEADER.FIELDS (SUBJECT)] INTERNALDATE)")).containsExactly(
                    "* 2 FETCH (UID 2 BODY[HEADER.FIELDS (SUBJECT)] {19}", "Subject: second", "",
                    " INTERNALDATE \"02-Jan-2024 10:00:00 +0000\")", "t4 OK Fetch completed");
            assertThat(c.command("FETCH 1 (ENVELOPE)").get(0)).isEqualTo("* 1 FETCH (ENVELOPE (\"Mon, 1 Jan 2024 "
                    + "10:00:00 +0000\" \"first\" ((\"Ann\" NIL \"ann\" \"example.com\")) ((\"Ann\" NIL \"ann\" "
                    + "\"example.com\")) ((\"Ann\" NIL \"ann\" \"example.com\")) ((NIL NIL \"joe\" \"example.com\")) NIL "
                    + "NIL NIL \"<m1@x>\"))");
            assertThat(c.command("FETCH 2 BODYSTRUCTURE").get(0)).isEqualTo("* 2 FETCH (BODYSTRUCTURE ((\"text\" "
                    + "\"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 8 0 NIL NIL NIL NIL)(\"text\" \"html\" "
                    + "(\"charset\" \"us-ascii\") NIL NIL \"7bit\" 11 0 NIL NIL NIL NIL) \"mixed\" (\"boundary\" \"b\") "
                    + "NIL NIL NIL))");
            assertThat(c.command("FETCH 2 (BODY.PEEK[2] BODY.PEEK[1.MIME])")).containsExactly(
                    "* 2 FETCH (BODY[2] {11}", "<p>html</p> BODY[1.MIME] {28}", "Content-Type: text/plain", "", ")",
                    "t7 OK Fetch completed");
            // a non-peek body fetch sets \Seen and says so
            assertThat(c.command("FETCH 3 BODY[TEXT]")).containsExactly("* 3 FETCH (BODY[TEXT] {22}",
                    "needle in a haystack", " FLAGS (\\Seen \\Recent))", "t8 OK Fetch completed");
            assertThat(c.command("FETCH 3 BODY[TEXT]<0.6>")).containsExactly("* 3 FETCH (BODY[TEXT]<0> {6}",
                    "needle)", "t9 OK Fetch completed");
            assertThat(c.tagged("FETCH 4 FLAGS")).isEqualTo("BAD Error in IMAP command FETCH: Invalid messageset");
            assertThat(c.command("UID FETCH 4:* FLAGS")).containsExactly("* 3 FETCH (UID 3 FLAGS (\\Seen \\Recent))",
                    "t11 OK Fetch completed");
            assertThat(c.command("UID FETCH 100,5:9 FLAGS")).containsExactly("t12 OK Fetch completed");
            // the first CONDSTORE-enabling command announces HIGHESTMODSEQ (RFC 7162 3.1), only the first
            List<String> modseq = c.command("FETCH 1 (MODSEQ)");
            assertThat(modseq.get(0)).matches("\\* OK \\[HIGHESTMODSEQ \\d+\\] Highest");
            assertThat(modseq.get(1)).matches("\\* 1 FETCH \\(MODSEQ \\(\\d+\\)\\)");
            assertThat(c.command("FETCH 1 (MODSEQ)").get(0)).matches("\\* 1 FETCH \\(MODSEQ \\(\\d+\\)\\)");
            assertThat(c.command("FETCH 1 BINARY.PEEK[1]")).containsExactly("* 1 FETCH (BINARY[1] {13}",
                    "hello world", ")", "t15 OK Fetch completed");
        }
    }

    @Test
    void storeFlagsWithAndWithoutConditions() throws Exception {
        try (RawImap c = selected()) {
            assertThat(c.command("STORE 2 +FLAGS (\\Flagged $Work)")).containsExactly(
                    "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Work)",
                    "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Work \\*)] Flags permitted",
                    "* 2 FETCH (FLAGS (\\Flagged \\Recent $Work))", "t3 OK Store completed");
            assertThat(c.command("UID STORE 2 -FLAGS.SILENT (\\Flagged)")).containsExactly("t4 OK Store completed");
            assertThat(c.command("STORE 1:2 FLAGS (\\Deleted)")).containsExactly(
                    "* 1 FETCH (FLAGS (\\Deleted \\Recent))", "* 2 FETCH (FLAGS (\\Deleted \\Recent))",
                    "t5 OK Store completed");
            List<String> mod = c.command("FETCH 3 MODSEQ");
            assertThat(mod.get(0)).startsWith("* OK [HIGHESTMODSEQ ");
            long modseq = Long.parseLong(mod.get(1).replaceAll("\\D+(\\d+)\\D+(\\d+)\\D*", "$2"));
            assertThat(c.command("STORE 3 (UNCHANGEDSINCE " + modseq + ") +FLAGS (\\Answered)").get(0))
                    .startsWith("* 3 FETCH (FLAGS (\\Answered \\Recent) MODSEQ (");
            assertThat(c.tagged("STORE 3 (UNCHANGEDSINCE " + modseq + ") +FLAGS (\\Draft)"))
                    .isEqualTo("OK [MODIFIED 3] Conditional STORE failed");
            assertThat(c.tagged("STORE 9 +FLAGS (\\Seen)")).startsWith("BAD");
            // CONDSTORE is on since UNCHANGEDSINCE: FLAGS come with their MODSEQ
            assertThat(c.command("FETCH 2 FLAGS").get(0)).matches("\\* 2 FETCH \\(FLAGS \\(\\\\Deleted \\\\Recent\\) "
                    + "MODSEQ \\(\\d+\\)\\)");
            List<String> flags = c.command("NOOP");
            assertThat(flags).containsExactly("t11 OK NOOP completed");
        }
    }

    @Test
    void searchKeysAndResultForms() throws Exception {
        try (RawImap c = selected()) {
            assertThat(c.command("SEARCH ALL")).containsExactly("* SEARCH 1 2 3", "t3 OK Search completed");
            assertThat(c.command("SEARCH UNSEEN")).containsExactly("* SEARCH 2 3", "t4 OK Search completed");
            assertThat(c.command("UID SEARCH FROM ann")).containsExactly("* SEARCH 1 3", "t5 OK Search completed");
            assertThat(c.command("SEARCH BODY needle")).containsExactly("* SEARCH 3", "t6 OK Search completed");
            assertThat(c.command("SEARCH CHARSET UTF-8 SUBJECT {6+}\r\nsecond")).containsExactly("* SEARCH 2",
                    "t7 OK Search completed");
            assertThat(c.command("SEARCH OR SUBJECT first SUBJECT third NOT 3")).containsExactly("* SEARCH 1",
                    "t8 OK Search completed");
            assertThat(c.command("SEARCH SINCE 2-Jan-2024")).containsExactly("* SEARCH 2 3", "t9 OK Search completed");
            assertThat(c.command("SEARCH 2:*")).containsExactly("* SEARCH 2 3", "t10 OK Search completed");
            assertThat(c.command("SEARCH 7:9")).containsExactly("* SEARCH", "t11 OK Search completed");
            assertThat(c.command("UID SEARCH RETURN (MIN MAX COUNT ALL) UNSEEN")).containsExactly(
                    "* ESEARCH (TAG \"t12\") UID MIN 2 MAX 3 ALL 2:3 COUNT 2", "t12 OK Search completed");
            assertThat(c.command("SEARCH TEXT haystack").get(0)).isEqualTo("* SEARCH 3");
            assertThat(c.tagged("SEARCH CHARSET KOI8-R ALL")).startsWith("NO [BADCHARSET (UTF-8 US-ASCII)]");
            List<String> modseq = c.command("SEARCH MODSEQ 1");
            assertThat(modseq.get(0)).startsWith("* OK [HIGHESTMODSEQ ");
            assertThat(modseq.get(1)).matches("\\* SEARCH 1 2 3 \\(MODSEQ \\d+\\)");
        }
    }

    @Test
    void copyMoveExpungeAndClose() throws Exception {
        try (RawImap c = selected()) {
            List<String> copy = c.command("COPY 1:2 Archive");
            assertThat(copy.get(0)).matches("t3 OK \\[COPYUID \\d+ 1:2 1:2\\] Copy completed");
            assertThat(c.tagged("COPY 1 Nowhere")).startsWith("NO [TRYCREATE]");
            List<String> move = c.command("UID MOVE 2 Trash");
            assertThat(move.get(0)).matches("\\* OK \\[COPYUID \\d+ 2 1\\] Moved UIDs\\.");
            assertThat(move.subList(1, move.size())).containsExactly("* 2 EXPUNGE", "* 2 RECENT", "t5 OK Move completed");
            assertThat(c.command("FETCH 1:* UID")).containsExactly("* 1 FETCH (UID 1)", "* 2 FETCH (UID 3)",
                    "t6 OK Fetch completed");
            c.tagged("STORE 1 +FLAGS.SILENT (\\Deleted)");
            assertThat(c.command("EXPUNGE")).containsExactly("* 1 EXPUNGE", "* 1 RECENT", "t8 OK Expunge completed");
            c.tagged("STORE 1 +FLAGS.SILENT (\\Deleted)");
            assertThat(c.command("CLOSE")).containsExactly("t10 OK Close completed");
            assertThat(c.tagged("FETCH 1 FLAGS")).isEqualTo("BAD No mailbox selected");
            assertThat(c.command("STATUS INBOX (MESSAGES)")).containsExactly("* STATUS INBOX (MESSAGES 0)",
                    "t12 OK Status completed");
            assertThat(c.command("STATUS Archive (MESSAGES UNSEEN)")).containsExactly(
                    "* STATUS Archive (MESSAGES 2 UNSEEN 1)", "t13 OK Status completed");
            assertThat(c.tagged("UID EXPUNGE 1")).isEqualTo("BAD No mailbox selected");
        }
    }

    /**
     * MOVE would expunge from the source, which EXAMINE forbids (RFC 3501 6.3.2: no changes to the permanent state
     * of the mailbox): refused, and nothing is copied. Dovecot performs the move anyway; mailkit stays read-only (a
     * client that wants to move reopens the mailbox with SELECT). STORE and EXPUNGE in an EXAMINEd mailbox are
     * successful no-ops, as in Dovecot: they change nothing, so nothing is lost either way.
     */
    @Test
    void moveOutOfAnExaminedMailboxIsRefusedAndChangesNothing() throws Exception {
        try (RawImap c = login()) {
            assertThat(c.tagged("EXAMINE INBOX")).isEqualTo("OK [READ-ONLY] Examine completed");
            assertThat(c.tagged("MOVE 1:2 Archive")).isEqualTo("NO Mailbox is read-only");
            assertThat(c.tagged("UID MOVE 3 Archive")).isEqualTo("NO Mailbox is read-only");
            assertThat(c.command("FETCH 1:* UID")).containsExactly("* 1 FETCH (UID 1)", "* 2 FETCH (UID 2)",
                    "* 3 FETCH (UID 3)", "t5 OK Fetch completed");
            assertThat(c.command("STATUS Archive (MESSAGES)")).containsExactly("* STATUS Archive (MESSAGES 0)",
                    "t6 OK Status completed");
            assertThat(c.command("COPY 1 Archive").get(0)).startsWith("t7 OK [COPYUID "); // COPY only reads
        }
    }

    @Test
    void appendWithFlagsDateAndLimits() throws Exception {
        try (RawImap c = login()) {
            String msg = "Subject: appended\r\n\r\nbody\r\n";
            c.send("a1 APPEND INBOX (\\Seen $Label) \"05-Mar-2024 10:11:12 +0100\" {" + msg.length() + "}\r\n");
            assertThat(c.line()).isEqualTo("+ OK");
            c.send(msg + "\r\n");
            assertThat(c.line()).matches("a1 OK \\[APPENDUID \\d+ 4\\] Append completed");
            c.send("a2 APPEND Drafts {" + msg.length() + "+}\r\n" + msg + "\r\n");
            assertThat(c.line()).matches("a2 OK \\[APPENDUID \\d+ 1\\] Append completed");
            c.send("a3 APPEND Nowhere {" + msg.length() + "+}\r\n" + msg + "\r\n");
            assertThat(c.line()).startsWith("a3 NO [TRYCREATE]");
            c.send("a4 APPEND INBOX {0+}\r\n\r\n");
            assertThat(c.line()).isEqualTo("a4 NO Can't save a zero byte message");
            c.tagged("SELECT INBOX");
            assertThat(c.command("FETCH 4 (FLAGS INTERNALDATE BODY[])").get(0)).isEqualTo("* 4 FETCH (FLAGS (\\Seen "
                    + "\\Recent $Label) INTERNALDATE \"05-Mar-2024 09:11:12 +0000\" BODY[] {" + msg.length() + "}");
        }
    }

    @Test
    void mailboxHierarchyListAndStatus() throws Exception {
        try (RawImap c = login()) {
            assertThat(c.command("LIST \"\" \"\"")).containsExactly("* LIST (\\Noselect) \".\" \"\"",
                    "t2 OK List completed");
            assertThat(c.tagged("CREATE Projects.2024.")).matches(CREATED);
            assertThat(c.tagged("CREATE Gel&APY-scht")).matches(CREATED);
            assertThat(c.tagged("CREATE INBOX")).startsWith("NO [ALREADYEXISTS]");
            assertThat(c.command("LIST \"\" *")).containsExactly(
                    "* LIST (\\HasNoChildren) \".\" INBOX",
                    "* LIST (\\HasNoChildren \\Archive) \".\" Archive",
                    "* LIST (\\HasNoChildren \\Drafts) \".\" Drafts",
                    "* LIST (\\HasNoChildren) \".\" Gel&APY-scht",
                    "* LIST (\\HasNoChildren \\Junk) \".\" Junk",
                    "* LIST (\\Noselect \\HasChildren) \".\" Projects",
                    "* LIST (\\HasNoChildren) \".\" Projects.2024",
                    "* LIST (\\HasNoChildren \\Sent) \".\" Sent",
                    "* LIST (\\HasNoChildren \\Trash) \".\" Trash",
                    "t6 OK List completed");
            assertThat(c.command("LIST \"\" %")).doesNotContain("* LIST (\\HasNoChildren) \".\" Projects.2024")
                    .contains("* LIST (\\Noselect \\HasChildren) \".\" Projects");
            assertThat(c.command("LIST Projects. %")).containsExactly(
                    "* LIST (\\HasNoChildren) \".\" Projects.2024", "t8 OK List completed");
            assertThat(c.tagged("SUBSCRIBE Sent")).isEqualTo("OK Subscribe completed");
            assertThat(c.command("LSUB \"\" *")).containsExactly("* LSUB () \".\" Sent", "t10 OK Lsub completed");
            assertThat(c.command("LIST (SUBSCRIBED) \"\" * RETURN (STATUS (MESSAGES UIDNEXT))")).containsExactly(
                    "* LIST (\\Subscribed \\Sent) \".\" Sent",
                    "* STATUS Sent (MESSAGES 0 UIDNEXT 1)", "t11 OK List completed");
            assertThat(c.command("LIST (SPECIAL-USE) \"\" *")).hasSize(6);
            assertThat(c.tagged("RENAME Projects.2024 Projects.2025")).isEqualTo("OK Rename completed");
            assertThat(c.tagged("DELETE Projects.2025")).isEqualTo("OK Delete completed");
            assertThat(c.tagged("DELETE INBOX")).startsWith("NO [CANNOT]");
            assertThat(c.command("STATUS INBOX (MESSAGES RECENT UIDNEXT UNSEEN SIZE APPENDLIMIT DELETED)")).contains(
                    "* STATUS INBOX (MESSAGES 3 RECENT 3 UIDNEXT 4 UNSEEN 2 SIZE " + (M1.length() + M2.length()
                            + M3.length()) + " APPENDLIMIT 67108864 DELETED 0)");
            assertThat(c.tagged("STATUS Nowhere (MESSAGES)")).startsWith("NO [NONEXISTENT]");
            assertThat(c.tagged("CREATE \"bad*name\"")).startsWith("NO [CANNOT]");
        }
    }

    /**
     * SEARCHRES (RFC 5182): $ is empty until a SEARCH saves, names the same messages in UID and sequence-number
     * commands, loses what another session expunges, and is forgotten with the selection; it stands alone.
     */
    @Test
    void savedSearchResult() throws Exception {
        try (RawImap c = selected(); RawImap other = selected()) {
            assertThat(c.command("CAPABILITY").get(0)).contains(" SEARCHRES ");
            assertThat(c.command("FETCH $ UID")).containsExactly("t4 OK Fetch completed");
            assertThat(c.tagged("FETCH 1,$ UID")).startsWith("BAD");
            assertThat(c.tagged("FETCH $:3 UID")).startsWith("BAD");
            assertThat(c.command("UID SEARCH RETURN (SAVE) FROM ann")).containsExactly("t7 OK Search completed");
            assertThat(c.command("COPY $ Archive")).last().asString().matches("t8 OK \\[COPYUID \\d+ 1,3 1:2] .*");
            assertThat(other.command("STORE 1 +FLAGS.SILENT (\\Deleted)")).last().asString().startsWith("t3 OK");
            assertThat(other.command("EXPUNGE")).contains("* 1 EXPUNGE");
            assertThat(c.command("NOOP")).contains("* 1 EXPUNGE");
            assertThat(c.command("FETCH $ (UID)")).containsExactly("* 2 FETCH (UID 3)", "t10 OK Fetch completed");
            assertThat(c.command("SEARCH $")).containsExactly("* SEARCH 2", "t11 OK Search completed");
            assertThat(c.tagged("UNSELECT")).startsWith("OK");
            assertThat(c.tagged("SELECT INBOX")).startsWith("OK");
            assertThat(c.command("FETCH $ (UID)")).containsExactly("t14 OK Fetch completed");
        }
    }

    /**
     * RFC 5182 2.1: a SEARCH with SAVE that ends in BAD leaves $ as it was (whether the parser or the search refused
     * it); one that ends in NO empties it.
     */
    @Test
    void aSearchThatEndsInBadLeavesTheSavedResultAndOneThatEndsInNoEmptiesIt() throws Exception {
        try (RawImap c = selected()) {
            assertThat(c.command("UID SEARCH RETURN (SAVE) FROM ann")).containsExactly("t3 OK Search completed");
            for (String bad : List.of("SEARCH RETURN (SAVE) FROM", "SEARCH RETURN (SAVE) NOSUCHKEY x",
                    "SEARCH RETURN (SAVE FOO) ALL", "UID SEARCH RETURN (SAVE) UID 1:*:2", "SEARCH RETURN (SAVE) (ALL",
                    "SEARCH RETURN (SAVE) OR SEEN", "SEARCH RETURN (SAVE) SENTBEFORE 32-Jan-2024")) {
                assertThat(c.tagged(bad)).as(bad).startsWith("BAD");
                assertThat(c.command("FETCH $ (UID)")).as("$ after " + bad).hasSize(3)
                        .contains("* 1 FETCH (UID 1)", "* 3 FETCH (UID 3)");
            }
            assertThat(c.tagged("SEARCH RETURN (SAVE) CHARSET KOI8-R FROM ann"))
                    .isEqualTo("NO [BADCHARSET (UTF-8 US-ASCII)] unsupported charset KOI8-R");
            assertThat(c.command("FETCH $ (UID)")).hasSize(1).last().asString().endsWith("OK Fetch completed");
            assertThat(c.tagged("SEARCH CHARSET KOI8-R FROM ann")).startsWith("NO [BADCHARSET");
        }
    }

    /** CREATE-SPECIAL-USE (RFC 6154 3): the uses are kept and listed; an unknown one is NO [USEATTR], nothing made. */
    @Test
    void createWithSpecialUse() throws Exception {
        try (RawImap c = login()) {
            assertThat(c.command("CAPABILITY").get(0)).contains(" CREATE-SPECIAL-USE ", " STATUS=SIZE ");
            assertThat(c.tagged("CREATE Old (USE (\\Archive))")).matches(CREATED);
            assertThat(c.tagged("CREATE Both (USE (\\Flagged \\All))")).matches(CREATED);
            assertThat(c.tagged("CREATE Plain (USE ())")).matches(CREATED);
            assertThat(c.tagged("CREATE Odd (USE (\\Nonsense))"))
                    .isEqualTo("NO [USEATTR] Unsupported special use \\Nonsense");
            assertThat(c.tagged("CREATE Odd2 (USE (\\Sent \\Nonsense))")).startsWith("NO [USEATTR]");
            assertThat(c.command("LIST \"\" (Old Both Plain Odd Odd2) RETURN (SPECIAL-USE)")).containsExactly(
                    "* LIST (\\All \\Flagged) \".\" Both", "* LIST (\\Archive) \".\" Old", "* LIST () \".\" Plain",
                    "t8 OK List completed");
            assertThat(c.tagged("CREATE Bad (FOO (\\Sent))")).startsWith("BAD");
            assertThat(c.command("LIST \"\" Bad")).containsExactly("t10 OK List completed");
        }
    }

    @Test
    void quota() throws Exception {
        store.close();
        server.close();
        store = MemoryMailStore.builder().quota(QuotaPolicy.of(QuotaLimits.ofBytes(1024 * 1024))).build();
        server = ImapServerTest.plain().store(store).build().start();
        try (RawImap c = login()) {
            assertThat(c.command("GETQUOTAROOT INBOX")).containsExactly("* QUOTAROOT \"INBOX\" \"\"",
                    "* QUOTA \"\" (STORAGE 0 1024)", "t2 OK Getquotaroot completed");
            assertThat(c.command("GETQUOTA \"\"")).contains("* QUOTA \"\" (STORAGE 0 1024)");
            assertThat(c.tagged("SETQUOTA \"\" (STORAGE 1)")).startsWith("NO [CANNOT]");
        }
    }
}
