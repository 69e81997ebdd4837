package dev.mailkit.imap;

import dev.mailkit.core.MessageSource;
import dev.mailkit.imap.testing.RawImap;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.Flags;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.memory.MemoryMailStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * OBJECTID (RFC 8474) and SAVEDATE (RFC 8514) over a real socket: both advertised; MAILBOXID in CREATE's OK, SELECT
 * and STATUS, the same after RENAME and new for a re-created mailbox; EMAILID the same for a COPY, THREADID shared
 * by a conversation's messages (from their References), both searchable; SAVEDATE fetched and searched apart from the
 * internal date; malformed object ids refused with BAD and what is wrong. What the stores keep is checked by
 * {@code ObjectIdContract} for every store; SAVEDATE searches are compared with Dovecot's in
 * {@link DovecotSaveDateDifferentialTest}.
 */
class ObjectIdTest {
    static final Pattern ID = Pattern.compile("MAILBOXID \\(([A-Za-z0-9_-]+)\\)");
    static final Pattern EMAILID = Pattern.compile("EMAILID \\(([A-Za-z0-9_-]+)\\)");
    static final Pattern THREADID = Pattern.compile("THREADID \\(([A-Za-z0-9_-]+)\\)");

    MemoryMailStore store;
    ImapServer server;
    Mailbox inbox;

    @BeforeEach
    void start() {
        store = MemoryMailStore.builder().build();
        inbox = store.account(AccountId.parse("joe@example.com")).open(MailboxName.INBOX);
        server = ImapServerTest.plain().store(store).build().start();
    }

    @AfterEach
    void stop() {
        server.close();
        inbox.close();
        store.close();
    }

    long add(String message, Instant internalDate) {
        return inbox.append(MessageSource.of(message.replace("\n", "\r\n").getBytes(StandardCharsets.US_ASCII)),
                Flags.NONE, internalDate);
    }

    RawImap login() throws Exception {
        RawImap c = new RawImap(server.port());
        c.greeting();
        assertThat(c.tagged("LOGIN joe@example.com secret")).endsWith("Logged in");
        return c;
    }

    static String find(Pattern p, List<String> lines) {
        for (String l : lines) {
            Matcher m = p.matcher(l);
            if (m.find()) {
                return m.group(1);
            }
        }
        throw new AssertionError(p + " not in " + lines);
    }

    @Test
    void mailboxIdFollowsTheMailboxThroughRenames() throws Exception {
        try (RawImap c = login()) {
            assertThat(c.command("CAPABILITY").get(0)).contains(" SAVEDATE", " OBJECTID");
            String created = c.tagged("CREATE Projects");
            assertThat(created).startsWith("OK [MAILBOXID (");
            String id = find(ID, List.of(created));
            assertThat(find(ID, c.command("STATUS Projects (MESSAGES MAILBOXID)"))).isEqualTo(id);
            assertThat(c.tagged("RENAME Projects Done")).startsWith("OK");
            assertThat(c.command("STATUS Done (MAILBOXID UIDNEXT)")).first().asString()
                    .isEqualTo("* STATUS Done (UIDNEXT 1 MAILBOXID (" + id + "))");
            assertThat(find(ID, c.command("EXAMINE Done"))).isEqualTo(id);
            String inboxId = find(ID, c.command("SELECT INBOX"));
            assertThat(inboxId).isNotEqualTo(id);
            assertThat(c.tagged("DELETE Done")).startsWith("OK");
            String again = find(ID, List.of(c.tagged("CREATE Done")));
            assertThat(again).isNotEqualTo(id).isNotEqualTo(inboxId);
        }
    }

    @Test
    void emailIdAndThreadIdAreFetchedAndSearched() throws Exception {
        Instant t = Instant.parse("2024-01-01T10:00:00Z");
        add("Message-ID: <root@example.com>\nSubject: plan\n\nroot\n", t);
        add("Message-ID: <a@example.com>\nIn-Reply-To: <root@example.com>\nReferences: <root@example.com>\n"
                + "Subject: Re: plan\n\nreply\n", t);
        add("Message-ID: <b@example.com>\nIn-Reply-To: <a@example.com>\nReferences: <root@example.com>\n"
                + " <a@example.com>\nSubject: Re: plan\n\nreply to reply\n", t);
        add("Message-ID: <other@example.com>\nSubject: else\n\nunrelated\n", t);
        // a References field of 100 000 identifiers: the THREADID still comes from the first
        add("Message-ID: <big@example.com>\nReferences: <root@example.com>" + " <x@y>".repeat(100_000)
                + "\nSubject: big\n\nbig\n", t);
        try (RawImap c = login()) {
            c.tagged("CREATE Other");
            c.command("SELECT INBOX");
            List<String> r = c.command("FETCH 1:5 (EMAILID THREADID)");
            String[] email = new String[5];
            String[] thread = new String[5];
            for (int i = 0; i < 5; i++) {
                email[i] = find(EMAILID, List.of(r.get(i)));
                thread[i] = find(THREADID, List.of(r.get(i)));
            }
            assertThat(email).doesNotHaveDuplicates();
            assertThat(thread[1]).isEqualTo(thread[0]);
            assertThat(thread[2]).isEqualTo(thread[0]);
            assertThat(thread[4]).isEqualTo(thread[0]);
            assertThat(thread[3]).isNotEqualTo(thread[0]);
            assertThat(c.command("SEARCH THREADID " + thread[0]).get(0)).isEqualTo("* SEARCH 1 2 3 5");
            assertThat(c.command("SEARCH EMAILID " + email[3]).get(0)).isEqualTo("* SEARCH 4");
            assertThat(c.command("SEARCH EMAILID Mnosuchid").get(0)).isEqualTo("* SEARCH");
            // a copy has the same EMAILID (and THREADID) in the other mailbox
            assertThat(c.tagged("COPY 1 Other")).startsWith("OK");
            c.command("SELECT Other");
            assertThat(c.command("FETCH 1 (EMAILID THREADID)").get(0))
                    .isEqualTo("* 1 FETCH (EMAILID (" + email[0] + ") THREADID (" + thread[0] + "))");
            assertThat(c.tagged("SEARCH EMAILID bad!id")).startsWith("BAD")
                    .contains("invalid object id bad!id: only letters, digits, '_' and '-'");
            assertThat(c.tagged("SEARCH THREADID " + "T".repeat(256))).startsWith("BAD")
                    .contains("an object id has 1 to 255 characters");
        }
    }

    @Test
    void saveDateIsNotTheInternalDate() throws Exception {
        add("Subject: old\n\nfrom 2001\n", Instant.parse("2001-02-03T04:05:06Z"));
        try (RawImap c = login()) {
            c.command("SELECT INBOX");
            String line = c.command("FETCH 1 (INTERNALDATE SAVEDATE)").get(0);
            assertThat(line).startsWith("* 1 FETCH (INTERNALDATE \"03-Feb-2001 ").contains(" SAVEDATE \"");
            assertThat(line).doesNotContain("SAVEDATE \"03-Feb-2001");
            assertThat(c.command("SEARCH SAVEDATESUPPORTED").get(0)).isEqualTo("* SEARCH 1");
            assertThat(c.command("SEARCH BEFORE 1-Jan-2002").get(0)).isEqualTo("* SEARCH 1");
            assertThat(c.command("SEARCH SAVEDBEFORE 1-Jan-2002").get(0)).isEqualTo("* SEARCH");
            assertThat(c.command("SEARCH SAVEDSINCE 1-Jan-2020").get(0)).isEqualTo("* SEARCH 1");
            assertThat(c.command("SEARCH SAVEDON 3-Feb-2001").get(0)).isEqualTo("* SEARCH");
            assertThat(c.tagged("SEARCH SAVEDSINCE 31-Foo-2020")).startsWith("BAD");
        }
    }
}
