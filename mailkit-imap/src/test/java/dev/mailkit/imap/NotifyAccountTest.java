package dev.mailkit.imap;

import dev.mailkit.imap.testing.RawImap;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.MailAccount;
import dev.mailkit.store.MailStore;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.maildir.MaildirMailStore;
import dev.mailkit.store.memory.MemoryMailStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.mailkit.imap.NotifyTest.awaitLine;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * NOTIFY's account-wide events (RFC 5465 5.4-5.7) over real sockets: what another session (or the store API that
 * the delivery agent and the web API use) does to the hierarchy, the subscriptions and the metadata reaches a
 * NOTIFY-ing session at once as {@code * LIST} (with {@code \NonExistent} for a deletion and {@code OLDNAME} for a
 * rename) and {@code * METADATA}; the filters choose which names are reported; a client that does not read while
 * changes pile up gets {@code [NOTIFICATIONOVERFLOW]} and no more events, and its session goes on. With the memory
 * and the Maildir store.
 */
class NotifyAccountTest {
    static final AccountId JOE = AccountId.parse("joe@example.com");

    @TempDir
    Path dir;

    static RawImap login(ImapServer server) throws IOException {
        RawImap c = new RawImap(server.port());
        c.greeting();
        assertThat(c.tagged("LOGIN joe@example.com secret")).endsWith("Logged in");
        return c;
    }

    @Test
    void anotherSessionsCreateRenameSubscribeAndDeleteArriveAsListWithMemory() throws Exception {
        try (MemoryMailStore store = MemoryMailStore.builder().build()) {
            hierarchyChangesArriveAsList(store);
        }
    }

    @Test
    void anotherSessionsCreateRenameSubscribeAndDeleteArriveAsListWithMaildir() throws Exception {
        try (MaildirMailStore store = MaildirMailStore.builder(dir).fsync(false).hostName("mk").build()) {
            hierarchyChangesArriveAsList(store);
        }
    }

    private static void hierarchyChangesArriveAsList(MailStore store) throws Exception {
        try (ImapServer server = ImapServerTest.plain().store(store).build().start();
             RawImap a = login(server); RawImap b = login(server)) {
            assertThat(a.command("CAPABILITY").get(0)).contains(" NOTIFY");
            assertThat(a.tagged("NOTIFY SET (personal (MailboxName SubscriptionChange))"))
                    .isEqualTo("OK NOTIFY completed");
            assertThat(b.tagged("CREATE Foo")).matches(MailboxCommandsTest.CREATED);
            assertThat(awaitLine(a, "* LIST")).containsExactly("* LIST () \".\" Foo");
            assertThat(b.tagged("RENAME Foo Bar")).isEqualTo("OK Rename completed");
            assertThat(awaitLine(a, "* LIST")).containsExactly(
                    "* LIST () \".\" Bar (\"OLDNAME\" (Foo))");
            assertThat(b.tagged("SUBSCRIBE Bar")).isEqualTo("OK Subscribe completed");
            assertThat(awaitLine(a, "* LIST")).containsExactly("* LIST (\\Subscribed) \".\" Bar");
            assertThat(b.tagged("UNSUBSCRIBE Bar")).isEqualTo("OK Unsubscribe completed");
            assertThat(awaitLine(a, "* LIST")).containsExactly("* LIST () \".\" Bar");
            assertThat(b.tagged("DELETE Bar")).isEqualTo("OK Delete completed");
            assertThat(awaitLine(a, "* LIST")).containsExactly("* LIST (\\NonExistent) \".\" Bar");
            // the store API (what the delivery agent's fileinto :create and the web API call) is heard the same way
            store.account(JOE).create(MailboxName.of("Filed"));
            assertThat(awaitLine(a, "* LIST")).containsExactly("* LIST () \".\" Filed");
            assertThat(a.command("NOOP")).containsExactly("t4 OK NOOP completed");
        }
    }

    @Test
    void theFiltersChooseTheNamesAndNotifyNoneStopsThem() throws Exception {
        try (MemoryMailStore store = MemoryMailStore.builder().build();
             ImapServer server = ImapServerTest.plain().store(store).build().start();
             RawImap a = login(server); RawImap b = login(server)) {
            MailAccount joe = store.account(JOE);
            joe.create(MailboxName.of("Work"));
            assertThat(a.tagged("NOTIFY SET (mailboxes Lists.Quiet NONE) (subtree Lists (MailboxName)) "
                    + "(subscribed (SubscriptionChange))")).isEqualTo("OK NOTIFY completed");
            joe.create(MailboxName.of("Elsewhere"));      // not in the subtree
            joe.create(MailboxName.of("Lists.Quiet"));    // the first group names it, with no events
            joe.subscribe(MailboxName.of("Work"));        // subscribed now: reported
            joe.create(MailboxName.of("Lists.Loud"));
            joe.create(MailboxName.of("Lists"));
            assertThat(List.of(a.line(), a.line(), a.line())).containsExactly(
                    "* LIST (\\Subscribed) \".\" Work",
                    "* LIST () \".\" Lists.Loud",
                    "* LIST () \".\" Lists");
            assertThat(a.tagged("NOTIFY NONE")).isEqualTo("OK NOTIFY completed");
            joe.create(MailboxName.of("Lists.After"));
            assertThat(b.tagged("CREATE Lists.After2")).matches(MailboxCommandsTest.CREATED);
            assertThat(a.command("NOOP")).containsExactly("t4 OK NOOP completed");
        }
    }

    @Test
    void aMailboxCreatedAfterNotifySetIsWatchedAsItsFilterSaysAndForgottenWhenDeleted() throws Exception {
        try (MemoryMailStore store = MemoryMailStore.builder().build();
             ImapServer server = ImapServerTest.plain().store(store).build().start();
             RawImap a = login(server); RawImap b = login(server)) {
            assertThat(a.tagged("NOTIFY SET (subtree Lists (MessageNew MessageExpunge)) (personal (MailboxName))"))
                    .isEqualTo("OK NOTIFY completed");
            assertThat(b.tagged("CREATE Lists.Fresh")).matches(MailboxCommandsTest.CREATED);
            assertThat(b.tagged("CREATE Elsewhere")).matches(MailboxCommandsTest.CREATED);
            assertThat(awaitLine(a, "* LIST")).containsExactly("* LIST () \".\" Elsewhere");
            NotifyTest.append(b, "Elsewhere");  // PERSONAL asks for MailboxName only: no STATUS
            NotifyTest.append(b, "Lists.Fresh");
            assertThat(awaitLine(a, "* STATUS")).containsExactly("* STATUS Lists.Fresh (MESSAGES 1 UIDNEXT 2)");
            assertThat(b.tagged("RENAME Elsewhere Lists.Moved")).isEqualTo("OK Rename completed");
            // renamed into the subtree: watched from then on, what it holds reported at once
            assertThat(awaitLine(a, "* STATUS")).containsExactly("* STATUS Lists.Moved (MESSAGES 1 UIDNEXT 2)");
            NotifyTest.append(b, "Lists.Moved");
            assertThat(awaitLine(a, "* STATUS")).containsExactly("* STATUS Lists.Moved (MESSAGES 2 UIDNEXT 3)");
            assertThat(b.tagged("DELETE Lists.Fresh")).isEqualTo("OK Delete completed");
            assertThat(b.tagged("CREATE Lists.Fresh")).matches(MailboxCommandsTest.CREATED);
            NotifyTest.append(b, "Lists.Fresh"); // the new mailbox of the name, watched afresh
            assertThat(awaitLine(a, "* STATUS")).containsExactly("* STATUS Lists.Fresh (MESSAGES 1 UIDNEXT 2)");
            assertThat(a.command("NOOP")).containsExactly("t3 OK NOOP completed");
        }
    }

    @Test
    void metadataChangesArriveAsUnsolicitedMetadata() throws Exception {
        try (MemoryMailStore store = MemoryMailStore.builder().build();
             ImapServer server = ImapServerTest.plain().store(store).build().start();
             RawImap a = login(server); RawImap b = login(server)) {
            assertThat(a.tagged("NOTIFY SET (mailboxes INBOX (MailboxMetadataChange ServerMetadataChange))"))
                    .isEqualTo("OK NOTIFY completed");
            assertThat(b.tagged("CREATE Work")).matches(MailboxCommandsTest.CREATED);
            assertThat(b.tagged("SETMETADATA Work (/private/comment \"not watched\")"))
                    .isEqualTo("OK Setmetadata completed");
            assertThat(b.tagged("SETMETADATA INBOX (/private/comment \"hi\" /shared/comment \"all\")"))
                    .isEqualTo("OK Setmetadata completed");
            assertThat(awaitLine(a, "* METADATA INBOX /shared")).containsExactly(
                    "* METADATA INBOX /private/comment", "* METADATA INBOX /shared/comment");
            assertThat(b.tagged("SETMETADATA \"\" (/shared/admin \"mailto:root@example.com\")"))
                    .isEqualTo("OK Setmetadata completed");
            assertThat(awaitLine(a, "* METADATA")).containsExactly("* METADATA \"\" /shared/admin");
            assertThat(b.tagged("SETMETADATA INBOX (/private/comment NIL)")).isEqualTo("OK Setmetadata completed");
            assertThat(awaitLine(a, "* METADATA")).containsExactly("* METADATA INBOX /private/comment");
            assertThat(a.command("NOOP")).containsExactly("t3 OK NOOP completed");
        }
    }

    @Test
    void annotationChangeIsRefusedWithTheEventsThatAreSupported() throws Exception {
        try (MemoryMailStore store = MemoryMailStore.builder().build();
             ImapServer server = ImapServerTest.plain().store(store).build().start();
             RawImap a = login(server)) {
            assertThat(a.tagged("NOTIFY SET (personal (MessageNew MessageExpunge AnnotationChange))")).isEqualTo(
                    "NO [BADEVENT (MessageNew MessageExpunge FlagChange MailboxName SubscriptionChange "
                            + "MailboxMetadataChange ServerMetadataChange)] Event AnnotationChange is not supported");
            assertThat(a.tagged("NOTIFY SET (subtree \"a..b\" (MailboxName))")).startsWith("NO [CANNOT]");
        }
    }

    /**
     * A client that stops reading while the account changes: the session's writer blocks on the full socket, the
     * changes pile up beyond {@code AccountNotify.MAX_PENDING}, and when the client reads again it gets the lines
     * written before, then {@code * OK [NOTIFICATIONOVERFLOW]}, then nothing more (NOTIFY NONE), and its session
     * still answers.
     */
    @Test
    void aClientThatFallsBehindGetsNotificationOverflowAndNoMoreEvents() throws Exception {
        try (MemoryMailStore store = MemoryMailStore.builder().build();
             ImapServer server = ImapServerTest.plain().store(store).build().start();
             Socket s = new Socket()) {
            s.setReceiveBufferSize(4096); // before connecting: no window autotuning, so the server's writes block
            s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
            s.setSoTimeout(30_000);
            InputStream in = s.getInputStream();
            s.getOutputStream().write(("a LOGIN joe@example.com secret\r\n"
                    + "b NOTIFY SET (personal (SubscriptionChange))\r\n").getBytes(StandardCharsets.US_ASCII));
            List<String> start = new ArrayList<>();
            while (start.isEmpty() || !start.get(start.size() - 1).startsWith("b ")) {
                start.add(readLine(in));
            }
            assertThat(start.get(start.size() - 1)).isEqualTo("b OK NOTIFY completed");
            MailAccount joe = store.account(JOE);
            MailboxName name = MailboxName.of("x".repeat(240)); // ~260 octets per LIST line
            for (int i = 0; i < 20_000; i++) {  // ~5 MB of LIST lines: more than any socket buffer takes
                joe.subscribe(name);
                joe.unsubscribe(name);
            }
            int lists = 0;
            String l;
            while (!(l = readLine(in)).startsWith("* OK [NOTIFICATIONOVERFLOW]")) {
                assertThat(l).startsWith("* LIST (\\NonExistent");
                lists++;
            }
            assertThat(lists).isLessThan(40_000);
            joe.subscribe(MailboxName.of("After"));
            s.getOutputStream().write("c NOOP\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(readLine(in)).isEqualTo("c OK NOOP completed");
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c == -1) {
                throw new IOException("closed after " + b);
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.UTF_8);
    }
}
