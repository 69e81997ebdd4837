package dev.mailkit.imap;

import dev.mailkit.core.MessageSource;
import dev.mailkit.imap.testing.RawImap;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.Flags;
import dev.mailkit.store.MailAccount;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.SystemFlag;
import dev.mailkit.store.memory.MemoryMailStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * IMAP4rev2 (RFC 9051) beside IMAP4rev1, in scripted sessions over a real socket: advertised, enabled with
 * {@code ENABLE IMAP4rev2}, and from then on RFC 9051's responses: no \Recent anywhere (SELECT, FETCH FLAGS,
 * updates, IDLE), SEARCH answered with ESEARCH, SELECT with its LIST response and without {@code [UNSEEN n]},
 * {@code \NonExistent} for placeholder names, UTF-8 mailbox names, and what RFC 9051 removed (CHECK, STATUS RECENT,
 * SEARCH RECENT/NEW/OLD) refused with BAD while nothing changes. A session that did not enable it sees IMAP4rev1
 * (checked beside each difference; {@code DovecotDifferentialTest} compares that side with Dovecot). The folded-in
 * extensions are checked after ENABLE in {@code Imap4rev2ExtensionsTest}, Python's imaplib in
 * {@code Imap4rev2ClientTest}.
 */
class Imap4rev2Test {
    static final String M1 = "From: ann@example.com\r\nSubject: first\r\n\r\nhello\r\n";
    static final String M2 = "From: bob@example.com\r\nSubject: second\r\n\r\nworld\r\n";
    static final String M3 = "From: ann@example.com\r\nSubject: third\r\n\r\nneedle\r\n";

    MemoryMailStore store;
    MailAccount account;
    ImapServer server;

    @BeforeEach
    void start() {
        store = MemoryMailStore.builder().standardMailboxes().build();
        account = store.account(AccountId.parse("joe@example.com"));
        fill(MailboxName.INBOX);
        account.create(MailboxName.of("Control"));
        fill(MailboxName.of("Control"));
        server = ImapServerTest.plain().store(store).build().start();
    }

    private void fill(MailboxName name) {
        try (Mailbox m = account.open(name)) {
            m.append(MessageSource.of(M1.getBytes()), Flags.of(SystemFlag.SEEN), Instant.parse("2024-01-01T10:00:00Z"));
            m.append(MessageSource.of(M2.getBytes()), Flags.NONE, Instant.parse("2024-01-02T10:00:00Z"));
            m.append(MessageSource.of(M3.getBytes()), Flags.NONE, Instant.parse("2024-01-03T10:00:00Z"));
        }
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

    RawImap rev2() throws Exception {
        RawImap c = login();
        assertThat(c.command("ENABLE IMAP4rev2")).containsExactly("* ENABLED IMAP4rev2", "t2 OK Enabled");
        return c;
    }

    @Test
    void advertisedBeforeAndAfterLoginAndEnabledOnlyWhenLoggedInAndNothingSelected() throws Exception {
        try (RawImap c = new RawImap(server.port())) {
            assertThat(c.greeting()).startsWith("* OK [CAPABILITY IMAP4rev1 IMAP4rev2 ");
            assertThat(c.command("ENABLE IMAP4rev2")).containsExactly("t1 BAD Please log in first");
            assertThat(c.tagged("LOGIN joe@example.com secret")).contains("IMAP4rev1 IMAP4rev2 ");
            assertThat(c.command("CAPABILITY").get(0)).startsWith("* CAPABILITY IMAP4rev1 IMAP4rev2 ");
            assertThat(c.command("ENABLE imap4REV2 IMAP4rev2")).as("once, in RFC 9051's spelling")
                    .containsExactly("* ENABLED IMAP4rev2", "t4 OK Enabled");
            assertThat(c.command("ENABLE IMAP4rev2")).containsExactly("* ENABLED", "t5 OK Enabled");
        }
        try (RawImap c = login()) {
            c.tagged("SELECT INBOX");
            assertThat(c.command("ENABLE IMAP4rev2")).as("changes how the selected mailbox is reported: not now")
                    .containsExactly("* ENABLED", "t3 OK Enabled");
            assertThat(c.command("SEARCH UNSEEN")).containsExactly("* SEARCH 2 3", "t4 OK Search completed");
        }
    }

    @Test
    void selectHasNoRecentNoUnseenAndAListResponse() throws Exception {
        long inbox;
        long sent;
        try (Mailbox m = account.open(MailboxName.INBOX); Mailbox s = account.open(MailboxName.of("Sent"))) {
            inbox = m.uidValidity();
            sent = s.uidValidity();
        }
        try (RawImap c = rev2()) {
            assertThat(c.command("SELECT INBOX")).containsExactly(
                    "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)",
                    "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags permitted",
                    "* 3 EXISTS",
                    "* OK [UIDVALIDITY " + inbox + "] UIDs valid",
                    "* OK [UIDNEXT 4] Predicted next UID",
                    "* LIST () \".\" INBOX",
                    "t3 OK [READ-WRITE] Select completed");
            assertThat(c.command("FETCH 1:* FLAGS")).as("the first session: the messages are recent, not shown")
                    .containsExactly("* 1 FETCH (FLAGS (\\Seen))", "* 2 FETCH (FLAGS ())", "* 3 FETCH (FLAGS ())",
                            "t4 OK Fetch completed");
            assertThat(c.command("EXAMINE Sent")).containsExactly(
                    "* OK [CLOSED] Previous mailbox closed.",
                    "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)",
                    "* OK [PERMANENTFLAGS ()] Read-only mailbox",
                    "* 0 EXISTS",
                    "* OK [UIDVALIDITY " + sent + "] UIDs valid",
                    "* OK [UIDNEXT 1] Predicted next UID",
                    "* LIST (\\Sent) \".\" Sent",
                    "t5 OK [READ-ONLY] Examine completed");
        }
        try (RawImap c = login()) {
            List<String> r = c.command("SELECT Control");
            assertThat(r).as("IMAP4rev1: as before").contains("* 3 RECENT")
                    .contains("* OK [UNSEEN 2] First unseen.").noneMatch(l -> l.startsWith("* LIST"));
            assertThat(c.command("FETCH 2 FLAGS")).startsWith("* 2 FETCH (FLAGS (\\Recent))");
        }
    }

    @Test
    void searchAnswersWithEsearch() throws Exception {
        try (RawImap c = rev2()) {
            c.tagged("SELECT INBOX");
            assertThat(c.command("SEARCH UNSEEN")).containsExactly("* ESEARCH (TAG \"t4\") ALL 2:3",
                    "t4 OK Search completed");
            assertThat(c.command("UID SEARCH ALL")).containsExactly("* ESEARCH (TAG \"t5\") UID ALL 1:3",
                    "t5 OK Search completed");
            assertThat(c.command("SEARCH SUBJECT nowhere")).as("no matches: the tag alone")
                    .containsExactly("* ESEARCH (TAG \"t6\")", "t6 OK Search completed");
            assertThat(c.command("SEARCH RETURN (MIN COUNT) FROM ann")).containsExactly(
                    "* ESEARCH (TAG \"t7\") MIN 1 COUNT 2", "t7 OK Search completed");
            assertThat(c.command("SEARCH RETURN (SAVE) FROM ann")).containsExactly("t8 OK Search completed");
            assertThat(c.command("FETCH $ UID")).containsExactly("* 1 FETCH (UID 1)", "* 3 FETCH (UID 3)",
                    "t9 OK Fetch completed");
            assertThat(c.command("SEARCH MODSEQ 1")).as("CONDSTORE's MODSEQ rides on ESEARCH")
                    .element(1).asString().matches("\\* ESEARCH \\(TAG \"t10\"\\) ALL 1:3 MODSEQ \\d+");
        }
    }

    @Test
    void whatRfc9051RemovedIsRefusedAndChangesNothing() throws Exception {
        try (RawImap c = rev2()) {
            c.tagged("SELECT INBOX");
            assertThat(c.command("SEARCH RETURN (SAVE) UNSEEN")).containsExactly("t4 OK Search completed");
            for (String removed : List.of("SEARCH RECENT", "SEARCH NEW", "UID SEARCH OLD", "SEARCH NOT RECENT",
                    "SEARCH RETURN (SAVE) OR SEEN RECENT")) {
                List<String> r = c.command(removed);
                assertThat(r).as(removed).hasSize(1);
                assertThat(r.get(0)).as(removed).matches("t\\d+ BAD SEARCH (RECENT|NEW|OLD) is not part of "
                        + "IMAP4rev2 \\(RFC 9051 has no \\\\Recent\\)");
            }
            assertThat(c.command("STATUS Sent (MESSAGES RECENT)")).containsExactly(
                    "t10 BAD STATUS RECENT is not part of IMAP4rev2 (RFC 9051 has no \\Recent)");
            assertThat(c.command("LIST \"\" Sent RETURN (STATUS (RECENT))")).hasSize(1).first().asString()
                    .startsWith("t11 BAD STATUS RECENT");
            assertThat(c.command("CHECK")).containsExactly(
                    "t12 BAD CHECK is not part of IMAP4rev2 (RFC 9051 removed it): use NOOP");
            assertThat(c.command("STATUS Sent (MESSAGES UIDNEXT UNSEEN DELETED SIZE)")).containsExactly(
                    "* STATUS Sent (MESSAGES 0 UIDNEXT 1 UNSEEN 0 SIZE 0 DELETED 0)", "t13 OK Status completed");
            assertThat(c.command("FETCH $ UID")).as("the refused SAVE left $ as it was")
                    .containsExactly("* 2 FETCH (UID 2)", "* 3 FETCH (UID 3)", "t14 OK Fetch completed");
            assertThat(c.command("NOOP")).containsExactly("t15 OK NOOP completed");
        }
        try (RawImap c = login()) {
            c.tagged("SELECT Control");
            assertThat(c.command("SEARCH NEW")).containsExactly("* SEARCH 2 3", "t3 OK Search completed");
            assertThat(c.tagged("CHECK")).startsWith("OK");
            assertThat(c.command("STATUS Sent (RECENT)")).startsWith("* STATUS Sent (RECENT 0)");
        }
    }

    @Test
    void updatesFromOtherSessionsCarryUidsAndNoRecent() throws Exception {
        try (RawImap c = rev2(); RawImap other = login()) {
            c.tagged("SELECT INBOX");
            other.tagged("SELECT INBOX");
            other.tagged("STORE 1 +FLAGS.SILENT (\\Flagged)");
            other.tagged("APPEND INBOX {4+}\r\nhi\r\n");
            List<String> r = c.command("NOOP");
            assertThat(r).containsExactly("* 4 EXISTS", "* 1 FETCH (UID 1 FLAGS (\\Flagged \\Seen))",
                    "t4 OK NOOP completed");
            c.send("i1 IDLE\r\n");
            assertThat(c.line()).startsWith("+ ");
            other.tagged("APPEND INBOX {4+}\r\nho\r\n");
            other.tagged("STORE 2 +FLAGS.SILENT (\\Answered)");
            List<String> idle = new ArrayList<>();
            while (!idle.contains("* 2 FETCH (UID 2 FLAGS (\\Answered))")) {
                idle.add(readLine(c)); // the socket's read timeout bounds the wait
            }
            c.send("DONE\r\n");
            idle.addAll(c.until("i1"));
            assertThat(idle).contains("* 5 EXISTS").noneMatch(l -> l.contains("RECENT") || l.contains("\\Recent"));
            assertThat(c.command("FETCH 4:5 FLAGS")).containsExactly("* 4 FETCH (FLAGS ())",
                    "* 5 FETCH (FLAGS ())", "t5 OK Fetch completed");
        }
    }

    @Test
    void notifyMessageNewCarriesTheUidAndExpungesBringNoRecent() throws Exception {
        try (RawImap c = rev2(); RawImap other = login()) {
            c.tagged("SELECT INBOX");
            assertThat(c.tagged("NOTIFY SET (selected (MessageNew (FLAGS) MessageExpunge))"))
                    .isEqualTo("OK NOTIFY completed");
            other.tagged("APPEND INBOX {4+}\r\nhi\r\n");
            List<String> heard = new ArrayList<>();
            while (!heard.contains("* 4 FETCH (UID 4 FLAGS ())")) {
                heard.add(readLine(c)); // the socket's read timeout bounds the wait
            }
            assertThat(heard).as("RFC 9051 7.5.2: an unsolicited FETCH has the UID")
                    .containsExactly("* 4 EXISTS", "* 4 FETCH (UID 4 FLAGS ())");
            other.tagged("SELECT INBOX");
            other.tagged("STORE 4 +FLAGS.SILENT (\\Deleted)");
            other.tagged("EXPUNGE");
            List<String> gone = new ArrayList<>();
            while (!gone.contains("* 4 EXPUNGE")) {
                gone.add(readLine(c)); // the \Deleted FETCH comes first if the wake ran between STORE and EXPUNGE
            }
            assertThat(gone).allMatch(l -> l.equals("* 4 EXPUNGE") || l.equals("* 4 FETCH (UID 4 FLAGS (\\Deleted))"));
            assertThat(c.command("NOOP")).as("no RECENT after the expunge")
                    .containsExactly("t5 OK NOOP completed");
        }
    }

    @Test
    void listSaysNonExistentAndMailboxNamesAreUtf8() throws Exception {
        try (RawImap c = rev2()) {
            assertThat(utf8(c, "u1", "CREATE \"Entwürfe\"")).endsWith("u1 OK Create completed");
            assertThat(utf8(c, "u2", "CREATE \"Tom & Jerry\"")).endsWith("u2 OK Create completed");
            assertThat(c.tagged("CREATE Projects.2024")).isEqualTo("OK Create completed");
            List<String> list = c.command("LIST \"\" *");
            assertThat(list).contains("* LIST (\\NonExistent \\HasChildren) \".\" Projects",
                    "* LIST (\\HasNoChildren) \".\" \"Entwürfe\"", "* LIST (\\HasNoChildren) \".\" \"Tom & Jerry\"")
                    .noneMatch(l -> l.contains("Noselect") || l.contains("&APw-"));
            assertThat(c.command("LIST \"\" \"\"")).startsWith("* LIST (\\Noselect) \".\" \"\"");
            assertThat(utf8(c, "u3", "SELECT \"Entwürfe\"")).contains("* LIST () \".\" \"Entwürfe\"\r\n");
            assertThat(c.command("SELECT Entw&APw-rfe")).as("modified UTF-7 is just characters now")
                    .last().asString().startsWith("t6 NO [NONEXISTENT]");
        }
        assertThat(account.exists(MailboxName.of("Entwürfe"))).isTrue();
        assertThat(account.exists(MailboxName.of("Tom & Jerry"))).isTrue();
        try (RawImap c = login()) {
            assertThat(c.command("LIST \"\" *")).contains("* LIST (\\Noselect \\HasChildren) \".\" Projects",
                    "* LIST (\\HasNoChildren) \".\" Entw&APw-rfe", "* LIST (\\HasNoChildren) \".\" \"Tom &- Jerry\"");
        }
    }

    @Test
    void utf8NamesThatRfc9051OrTheStoreForbidAreRefusedAndNothingIsCreated() throws Exception {
        List<String> before = names();
        try (RawImap c = rev2()) {
            // RFC 9051 5.1: Net-Unicode without controls, DEL, U+2028/U+2029; mailkit also takes only NFC (so it
            // never has to answer OLDNAME for a name given in another normal form)
            String[] names = {"Entwu\u0308rfe", "a\u2028b", "a\u2029b", "a\u0085b", "a\u007fb", "a\u202eb",
                "\uff29\uff2e\uff22\uff2f\uff38", "..", "a/../b"};
            for (int i = 0; i < names.length; i++) {
                String r = utf8(c, "n" + i, "CREATE \"" + names[i] + "\"");
                assertThat(r).as(names[i]).matches("(?s)n" + i + " NO \\[CANNOT] .*invalid mailbox name.*");
            }
            c.raw().sendBytes(new byte[] {'x', ' ', 'C', 'R', 'E', 'A', 'T', 'E', ' ', '"', 'a', (byte) 0xff, 'b', '"',
                '\r', '\n'});
            assertThat(c.until("x")).as("not UTF-8").containsExactly("x NO Mailbox name is not valid UTF-8");
            assertThat(c.command("NOOP")).containsExactly("t3 OK NOOP completed");
        }
        assertThat(names()).isEqualTo(before);
    }

    private List<String> names() {
        List<String> n = new ArrayList<>();
        account.list().forEach(i -> n.add(i.name().toString()));
        return n;
    }

    private static String utf8(RawImap c, String tag, String command) throws IOException {
        c.raw().sendUtf8(tag + " " + command + "\r\n");
        return String.join("\r\n", c.until(tag));
    }

    private static String readLine(RawImap c) throws IOException {
        String l = c.line();
        if (l == null) {
            throw new IOException("connection closed");
        }
        return l;
    }
}
