package dev.mailkit.imap;

import dev.mailkit.core.MessageSource;
import dev.mailkit.core.auth.InMemoryUserDirectory;
import dev.mailkit.core.server.AuthFailurePenalty;
import dev.mailkit.imap.testing.RawImap;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.Flags;
import dev.mailkit.store.MailStore;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.MailboxView;
import dev.mailkit.store.ViewMode;
import dev.mailkit.store.maildir.MaildirMailStore;
import dev.mailkit.testsupport.ExternalTool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * APPEND with CATENATE (RFC 4469) over a real socket on the Maildir store ({@link MemoryCatenateTest} runs the same
 * on the memory store, {@code PostgresCatenateTest} on PostgreSQL): URL parts naming whole messages, sections and
 * partial ranges (absolute, path and mailbox-relative forms), TEXT literals and literal8s, several CATENATE messages
 * in one MULTIAPPEND; and the refusals, each checked to have stored nothing and to leak nothing: {@code NO [BADURL]}
 * for another server, another user's mailbox, URLAUTH, a wrong UIDVALIDITY, an unknown UID or mailbox, a missing or
 * malformed section, a path that tries to climb out of the account, CR LF in a URL; {@code NO [TOOBIG]} for a result
 * over the APPEND limit. What the stored message holds is read back through the store, not only over IMAP. Python's
 * imaplib is a second client.
 */
class CatenateTest {
    static final String HOST = "mail.example.net";
    static final AccountId JOE = AccountId.parse("joe@example.com");
    static final AccountId JANE = AccountId.parse("jane@example.com");
    static final String MSG = "From: a@example.com\r\nSubject: parts\r\nContent-Type: multipart/mixed; boundary=b\r\n"
            + "\r\n--b\r\n\r\none\r\n--b\r\nContent-Type: text/plain\r\n\r\ntwo\r\n--b--\r\n";
    static final String SECRET = "Subject: jane's secret\r\n\r\nnot for joe\r\n";
    static final InMemoryUserDirectory USERS = InMemoryUserDirectory.builder().passwordHashIterations(1000)
            .user("joe@example.com", "secret").user("jane@example.com", "secret").build();

    @TempDir
    Path dir;

    MailStore store;
    ImapServer server;
    long uidValidity;

    /** The store under test (Maildir here). */
    MailStore newStore(Path root) {
        return MaildirMailStore.builder(root).fsync(false).hostName("mk").build();
    }

    void start(long appendLimit) {
        store = newStore(dir.resolve("store"));
        try (Mailbox inbox = store.account(JOE).open(MailboxName.INBOX)) {
            inbox.append(MessageSource.of(MSG.getBytes(StandardCharsets.US_ASCII)), Flags.NONE,
                    Instant.parse("2024-01-01T10:00:00Z"));
            uidValidity = inbox.uidValidity();
        }
        try (Mailbox inbox = store.account(JANE).open(MailboxName.INBOX)) {
            inbox.append(MessageSource.of(SECRET.getBytes(StandardCharsets.US_ASCII)), Flags.NONE, null);
        }
        server = ImapServer.builder().users(USERS).authFailurePenalty(AuthFailurePenalty.none()).hostName(HOST)
                .appendLimit(appendLimit).store(store).build().start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (store != null) {
            store.close();
        }
    }

    RawImap login() throws Exception {
        RawImap c = new RawImap(server.port());
        c.greeting();
        assertThat(c.tagged("LOGIN joe@example.com secret")).endsWith("Logged in");
        return c;
    }

    RawImap selected() throws Exception {
        RawImap c = login();
        assertThat(c.tagged("SELECT INBOX")).startsWith("OK [READ-WRITE]");
        return c;
    }

    /** The messages of joe's INBOX, read from the store. */
    List<String> inbox() throws Exception {
        List<String> out = new ArrayList<>();
        try (Mailbox inbox = store.account(JOE).open(MailboxName.INBOX);
             MailboxView v = inbox.openView(ViewMode.READ_ONLY)) {
            for (int seq = 1; seq <= v.messageCount(); seq++) {
                try (MessageSource m = inbox.content(v.uid(seq)).orElseThrow(); InputStream in = m.openStream()) {
                    out.add(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
                }
            }
        }
        return out;
    }

    @Test
    void catenatesWholeMessagesSectionsPartialRangesAndText() throws Exception {
        start(64 * 1024);
        try (RawImap c = selected()) {
            assertThat(c.command("CAPABILITY").get(0)).contains(" CATENATE", " URL-PARTIAL");
            assertThat(c.tagged("APPEND INBOX CATENATE (URL \"/INBOX/;UID=1\" TEXT {5+}\r\nabc\r\n)"))
                    .isEqualTo("OK [APPENDUID " + uidValidity + " 2] Append completed");
            String url = "imap://joe%40example.com@" + HOST + "/INBOX;UIDVALIDITY=" + uidValidity + "/;UID=1";
            assertThat(c.tagged("APPEND INBOX (\\Seen) CATENATE (TEXT {10+}\r\nSubject: ("
                    + " URL \"/INBOX/;UID=1/;PARTIAL=30.5\" TEXT {7+}\r\n)\r\n\r\nA: URL \"" + url + "/;SECTION=1\""
                    + " URL \";UID=1/;SECTION=2.MIME\" URL \"/inbox/;UID=1/;SECTION=TEXT/;PARTIAL=0.3\""
                    + " URL \"" + url + "/;SECTION=HEADER.FIELDS%20(subject%20to)\""
                    + " URL \"//" + HOST + "/INBOX/;UID=1/;SECTION=2\")"))
                    .startsWith("OK [APPENDUID " + uidValidity + " 3]");
        }
        assertThat(inbox()).containsExactly(MSG, MSG + "abc\r\n",
                "Subject: (parts)\r\n\r\nA:one" + "Content-Type: text/plain\r\n\r\n" + "--b" + "Subject: parts\r\n\r\n"
                        + "two");
    }

    @Test
    void severalCatenateMessagesInOneMultiappendWithALiteralAndALiteral8() throws Exception {
        start(64 * 1024);
        try (RawImap c = selected()) {
            List<String> r = c.command("APPEND INBOX CATENATE (URL \";UID=1/;SECTION=1\" TEXT ~{4+}\r\nx\0\r\n)"
                    + " (\\Flagged) {12+}\r\nSubject: m\r\n CATENATE (TEXT {3+}\r\nS:  URL \"/INBOX/;UID=1/;SECTION=2\")");
            assertThat(r.get(r.size() - 1)).isEqualTo("t3 OK [APPENDUID " + uidValidity + " 2:4] Append completed");
            assertThat(c.command("FETCH 3 FLAGS")).contains("* 3 FETCH (FLAGS (\\Flagged \\Recent))");
        }
        assertThat(inbox()).containsExactly(MSG, "onex\0\r\n", "Subject: m\r\n", "S: two");
    }

    @Test
    void aBadUrlAnywhereInAMultiappendStoresNothing() throws Exception {
        start(64 * 1024);
        try (RawImap c = selected()) {
            assertThat(c.tagged("APPEND INBOX {12+}\r\nSubject: m\r\n CATENATE (URL \"/INBOX/;UID=1\")"
                    + " CATENATE (TEXT {3+}\r\nabc URL \"/INBOX/;UID=7\")"))
                    .isEqualTo("NO [BADURL /INBOX/;UID=7] Message not found");
            assertThat(c.command("NOOP")).doesNotContain("* 2 EXISTS");
        }
        assertThat(inbox()).containsExactly(MSG);
    }

    @Test
    void refusesUrlsThatAreNotThisUsersMessagesOnThisServer() throws Exception {
        start(64 * 1024);
        String[][] cases = {
            {"/INBOX;UIDVALIDITY=" + (uidValidity + 1) + "/;UID=1", "Invalid UIDVALIDITY"},
            {"/INBOX/;UID=9", "Message not found"},
            {"/INBOX/;UID=0", "Invalid IMAP URL: UID cannot be zero"},
            {"/nosuch/;UID=1", "Mailbox doesn't exist: nosuch"},
            {"imap://joe%40example.com@other.example.org/INBOX/;UID=1", "URL names another server"},
            {"imap://jane%40example.com@" + HOST + "/INBOX/;UID=1", "URL names another user's mailbox"},
            {"//jane%40example.com;AUTH=*@" + HOST + "/INBOX/;UID=1", "URL names another user's mailbox"},
            {"/INBOX/;UID=1;URLAUTH=anonymous:internal:0123456789abcdef", "Invalid IMAP URL: URLAUTH"},
            {"/INBOX/;UID=1;EXPIRE=2030-01-01T00:00:00Z;URLAUTH=user+jane:internal:00", "Invalid IMAP URL: URLAUTH"},
            {"/..%2Fjane%40example.com%2FINBOX/;UID=1", "Mailbox doesn't exist"},
            {"/../jane/INBOX/;UID=1", "Mailbox doesn't exist"},
            {"/INBOX%0D%0AX/;UID=1", "Invalid IMAP URL: control character in the mailbox name"},
            {"/INBOX/;UID=1/;SECTION=3", "Message has no section 3"},
            {"/INBOX/;UID=1/;SECTION=1.2", "Message has no section 1.2"},
            {"/INBOX/;UID=1/;SECTION=MIME", "Invalid IMAP URL: section MIME needs a part number"},
            {"/INBOX/;UID=1/;SECTION=BOGUS", "Invalid IMAP URL: unknown section BOGUS"},
            {"/INBOX/;UID=1/;PARTIAL=2.0", "Invalid IMAP URL: PARTIAL length cannot be zero"},
            {"/INBOX/;UID=1?ALL", "Invalid IMAP URL: a message list URL"},
            {"INBOX/;UID=1", "Invalid IMAP URL: a relative URL must start with"},
            {"http://" + HOST + "/INBOX/;UID=1", "Invalid IMAP URL: not an imap: URL"},
        };
        try (RawImap c = selected()) {
            int tag = 2;
            for (String[] k : cases) {
                String reply = c.tagged("APPEND INBOX CATENATE (URL \"" + k[0] + "\")");
                tag++;
                assertThat(reply).as(k[0]).startsWith("NO [BADURL " + k[0] + "] " + k[1]);
                assertThat(reply).doesNotContain("secret", "not for joe");
            }
            // a URL with CR LF (only a literal can carry it) is echoed %-encoded: the response stays one line
            assertThat(c.command("APPEND INBOX CATENATE (URL {16+}\r\n/INBOX]\r\n/;UID=1)")).containsExactly(
                    "t" + (tag + 1) + " NO [BADURL /INBOX%5D%0D%0A/;UID=1] Invalid IMAP URL: invalid character 0x0D"
                            + " at position 8");
            assertThat(c.tagged("APPEND INBOX CATENATE ()")).startsWith("BAD");
            assertThat(c.tagged("NOOP")).startsWith("OK");
        }
        try (RawImap c = login()) {
            // no mailbox selected: a mailbox-relative URL has nothing to be relative to
            assertThat(c.tagged("APPEND INBOX CATENATE (URL \";UID=1\")"))
                    .isEqualTo("NO [BADURL ;UID=1] Mailbox-relative IMAP URL, but no mailbox selected");
        }
        assertThat(inbox()).containsExactly(MSG);
        try (Mailbox janes = store.account(JANE).open(MailboxName.INBOX)) {
            assertThat(janes.status().messages()).isEqualTo(1);
        }
    }

    /** Python's imaplib as the client: its own parser reads APPENDUID and the BADURL code. */
    @Test
    void pythonImaplibCatenates() throws Exception {
        start(64 * 1024);
        Path file = dir.resolve("client.py");
        Files.writeString(file, String.join("\n",
                "import imaplib, sys",
                "c = imaplib.IMAP4('127.0.0.1', int(sys.argv[1]))",
                "c.login('joe@example.com', 'secret')",
                "c.select('INBOX')",
                "print('caps', ' CATENATE ' in c.capability()[1][0].decode())",
                "print('ok', c._simple_command('APPEND', 'INBOX', 'CATENATE',"
                        + " '(URL \"/INBOX/;UID=1/;SECTION=2\" TEXT {3+}\\r\\n!\\r\\n)'))",
                "print('bad', c._simple_command('APPEND', 'INBOX', 'CATENATE', '(URL \"/INBOX/;UID=5\")'))",
                "typ, data = c.fetch('2', '(BODY.PEEK[])')",
                "print('body', data[0][1])",
                "c.logout()", ""));
        String out = ExternalTool.run(List.of(ExternalTool.python().toString(), file.toString(),
                Integer.toString(server.port())), null, Duration.ofSeconds(60)).assertSuccess().stdout;
        assertThat(out).contains("caps True", "ok ('OK', [b'[APPENDUID " + uidValidity + " 2] Append completed'])",
                "bad ('NO', [b'[BADURL /INBOX/;UID=5] Message not found'])", "body b'two!\\r\\n'");
        assertThat(inbox()).containsExactly(MSG, "two!\r\n");
    }

    @Test
    void aResultOverTheAppendLimitIsTooBigAndNothingIsStored() throws Exception {
        start(MSG.length() + 10);
        try (RawImap c = selected()) {
            assertThat(c.tagged("APPEND INBOX CATENATE (URL \"/INBOX/;UID=1\" URL \"/INBOX/;UID=1\")"))
                    .startsWith("NO [TOOBIG] Message too big: the catenated message is larger than the APPENDLIMIT of "
                            + (MSG.length() + 10) + " octets");
            assertThat(c.tagged("APPEND INBOX CATENATE (URL \"/INBOX/;UID=1\" TEXT {11+}\r\n0123456789A)"))
                    .startsWith("NO [TOOBIG]");
            // TEXT literals alone past the limit: refused before the second is read
            c.send("x1 APPEND INBOX CATENATE (TEXT {" + MSG.length() + "}\r\n");
            assertThat(c.line()).startsWith("+ ");
            c.send(MSG + " TEXT {20}\r\n");
            assertThat(c.until("x1")).last().asString().startsWith("x1 NO [TOOBIG]");
            assertThat(c.tagged("NOOP")).startsWith("OK");
        }
        assertThat(inbox()).containsExactly(MSG);
    }
}
