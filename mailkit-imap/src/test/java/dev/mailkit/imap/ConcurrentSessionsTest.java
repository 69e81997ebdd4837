package dev.mailkit.imap;

import dev.mailkit.core.MessageSource;
import dev.mailkit.imap.testing.RawImap;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.FlagOperation;
import dev.mailkit.store.Flags;
import dev.mailkit.store.MailAccount;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.MailboxView;
import dev.mailkit.store.SystemFlag;
import dev.mailkit.store.UidSet;
import dev.mailkit.store.ViewMode;
import dev.mailkit.store.memory.MemoryMailStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several sessions on one mailbox: each hears of the others' appends, flag changes and expunges through untagged
 * responses, at the moments RFC 3501 allows (never an EXPUNGE while answering FETCH, STORE or SEARCH), and IDLE
 * hears them as they happen.
 */
class ConcurrentSessionsTest {
    MemoryMailStore store;
    MailAccount account;
    ImapServer server;

    @BeforeEach
    void start() {
        store = MemoryMailStore.create();
        account = store.account(AccountId.parse("joe@example.com"));
        try (Mailbox inbox = account.open(MailboxName.INBOX)) {
            for (int i = 1; i <= 3; i++) {
                inbox.append(MessageSource.ofText("Subject: m" + i + "\n\nbody " + i + "\n"));
            }
        }
        server = ImapServerTest.plain().store(store).build().start();
    }

    @AfterEach
    void stop() {
        server.close();
        store.close();
    }

    RawImap selected() throws Exception {
        RawImap c = new RawImap(server.port());
        c.greeting();
        c.tagged("LOGIN joe@example.com secret");
        assertThat(c.tagged("SELECT INBOX")).isEqualTo("OK [READ-WRITE] Select completed");
        return c;
    }

    void deliver(String subject) {
        try (Mailbox inbox = account.open(MailboxName.INBOX)) {
            inbox.append(MessageSource.ofText("Subject: " + subject + "\n\nnew\n"), Flags.NONE, null);
        }
    }

    @Test
    void appendsFlagChangesAndExpungesAreReportedAtTheRightMoments() throws Exception {
        try (RawImap a = selected(); RawImap b = selected()) {
            deliver("m4");
            assertThat(a.command("NOOP")).containsExactly("* 4 EXISTS", "* 4 RECENT", "t3 OK NOOP completed");
            b.tagged("NOOP");
            b.tagged("STORE 2 +FLAGS.SILENT (\\Flagged)");
            assertThat(a.command("NOOP")).containsExactly("* 2 FETCH (UID 2 FLAGS (\\Flagged \\Recent))",
                    "t4 OK NOOP completed");
            b.tagged("STORE 1 +FLAGS.SILENT (\\Deleted)");
            assertThat(b.command("EXPUNGE")).containsExactly("* 1 EXPUNGE", "t6 OK Expunge completed");
            // FETCH must not renumber: no EXPUNGE, message 1 is still there as a number but gone as data; as
            // Dovecot, it is answered with empty values and the command is OK (RFC 2180 4.1.1)
            List<String> fetch = a.command("FETCH 1:* (UID FLAGS RFC822.SIZE INTERNALDATE ENVELOPE BODY[TEXT])");
            assertThat(fetch).noneMatch(l -> l.endsWith("EXPUNGE"));
            assertThat(fetch).contains("* 1 FETCH (UID 1 FLAGS (\\Recent) RFC822.SIZE 0 INTERNALDATE "
                    + "\"01-Jan-1970 00:00:00 +0000\" ENVELOPE (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL) BODY[TEXT] NIL)");
            assertThat(fetch).anyMatch(l -> l.startsWith("* 2 FETCH (UID 2 FLAGS (\\Flagged \\Seen \\Recent) "
                    + "RFC822.SIZE 23 "));
            assertThat(fetch.get(fetch.size() - 1)).isEqualTo("t5 OK [EXPUNGEISSUED] Some messages were already "
                    + "expunged");
            List<String> search = a.command("SEARCH ALL");
            assertThat(search).noneMatch(l -> l.endsWith("EXPUNGE"));
            assertThat(a.command("STORE 2 +FLAGS (\\Seen)")).noneMatch(l -> l.endsWith("EXPUNGE"));
            // NOOP may: now the numbers change
            assertThat(a.command("NOOP")).containsExactly("* 1 EXPUNGE", "* 3 RECENT", "t8 OK NOOP completed");
            assertThat(a.command("FETCH 1:* (UID)")).containsExactly("* 1 FETCH (UID 2)", "* 2 FETCH (UID 3)",
                    "* 3 FETCH (UID 4)", "t9 OK Fetch completed");
        }
    }

    /**
     * Issue 16: session A stores flags; another session changes the same message right after A's change and before
     * A's responses are written (here deterministically: from the other view's change listener, which runs on A's
     * thread right after A's change). A must not get the newer state and then its own older one.
     */
    @Test
    void ownStoreResultNeverOverwritesANewerChange() throws Exception {
        try (Mailbox inbox = account.open(MailboxName.INBOX);
             MailboxView other = inbox.openView(ViewMode.READ_WRITE);
             RawImap a = selected()) {
            a.tagged("ENABLE CONDSTORE");
            java.util.concurrent.atomic.AtomicBoolean armed = new java.util.concurrent.atomic.AtomicBoolean(true);
            other.setChangeListener(() -> {
                if (armed.getAndSet(false)) {
                    other.store(UidSet.of(2), FlagOperation.ADD, Flags.of(SystemFlag.FLAGGED));
                }
            });
            List<String> r = a.command("STORE 2 +FLAGS (\\Answered)");
            assertThat(armed.get()).isFalse();
            long last = 0;
            String lastFlags = null;
            for (String l : r) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("MODSEQ \\((\\d+)\\)").matcher(l);
                if (l.startsWith("* 2 FETCH") && m.find()) {
                    long v = Long.parseLong(m.group(1));
                    assertThat(v).as(String.join("\n", r)).isGreaterThanOrEqualTo(last);
                    last = v;
                    lastFlags = l;
                }
            }
            assertThat(lastFlags).contains("\\Answered").contains("\\Flagged");
            assertThat(a.command("FETCH 2 (FLAGS MODSEQ)").get(0)).isEqualTo("* 2 FETCH (FLAGS (\\Answered "
                    + "\\Flagged) MODSEQ (" + last + "))"); // the other view took \\Recent
        }
    }

    @Test
    void uidCommandsMayReportExpunges() throws Exception {
        try (RawImap a = selected(); RawImap b = selected()) {
            b.tagged("UID STORE 3 +FLAGS.SILENT (\\Deleted)");
            b.tagged("UID EXPUNGE 3");
            assertThat(a.command("UID FETCH 1 (FLAGS)")).containsExactly("* 1 FETCH (UID 1 FLAGS (\\Recent))",
                    "* 3 EXPUNGE", "* 2 RECENT", "t3 OK Fetch completed");
        }
    }

    @Test
    void idleHearsOfNewMailExpungesAndFlagsAsTheyHappen() throws Exception {
        try (RawImap a = selected(); RawImap b = selected()) {
            a.send("i1 IDLE\r\n");
            assertThat(a.line()).isEqualTo("+ idling");
            deliver("during idle");
            assertThat(a.line()).isEqualTo("* 4 EXISTS");
            assertThat(a.line()).isEqualTo("* 4 RECENT"); // a selected first: every message is recent to it
            b.tagged("NOOP");
            b.tagged("STORE 1 +FLAGS.SILENT (\\Deleted)");
            assertThat(a.line()).isEqualTo("* 1 FETCH (UID 1 FLAGS (\\Deleted \\Recent))");
            b.tagged("EXPUNGE");
            assertThat(a.line()).isEqualTo("* 1 EXPUNGE");
            assertThat(a.line()).isEqualTo("* 3 RECENT");
            a.send("DONE\r\n");
            assertThat(a.line()).isEqualTo("i1 OK IDLE terminated");
            assertThat(a.command("FETCH 1:* UID")).hasSize(4);
        }
    }

    @Test
    void changesWhileNotIdlingWaitForTheNextCommand() throws Exception {
        try (RawImap a = selected()) {
            deliver("queued");
            deliver("queued too");
            a.send("i1 IDLE\r\n");
            // pending changes are reported as IDLE starts
            assertThat(a.line()).isEqualTo("+ idling");
            assertThat(a.line()).isEqualTo("* 5 EXISTS");
            assertThat(a.line()).isEqualTo("* 5 RECENT");
            a.send("DONE\r\n");
            assertThat(a.line()).isEqualTo("i1 OK IDLE terminated");
        }
    }

    @Test
    void deletedSelectedMailboxEndsTheSession() throws Exception {
        account.create(MailboxName.of("Temp"));
        try (RawImap a = new RawImap(server.port())) {
            a.greeting();
            a.tagged("LOGIN joe@example.com secret");
            a.tagged("SELECT Temp");
            account.delete(MailboxName.of("Temp"));
            List<String> r = a.command("NOOP");
            assertThat(r.get(0)).startsWith("* BYE");
            assertThat(a.isClosedByServer()).isTrue();
        }
    }
}
