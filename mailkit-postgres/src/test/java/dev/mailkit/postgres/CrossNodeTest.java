package dev.mailkit.postgres;

import dev.mailkit.core.MessageSource;
import dev.mailkit.core.auth.InMemoryUserDirectory;
import dev.mailkit.core.server.AuthFailurePenalty;
import dev.mailkit.imap.ImapServer;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.FlagOperation;
import dev.mailkit.store.Flags;
import dev.mailkit.store.MailAccount;
import dev.mailkit.store.MailStoreException;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxChanges;
import dev.mailkit.store.MailboxInfo;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.MailboxView;
import dev.mailkit.store.SystemFlag;
import dev.mailkit.store.UidSet;
import dev.mailkit.store.ViewMode;
import dev.mailkit.testsupport.RawClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes (two databases handles with their own pools and listening connections, as two JVMs have) on one schema:
 * what one node does, the other sees, in IMAP order and promptly.
 */
class CrossNodeTest {
    static final AccountId ANN = AccountId.parse("ann@example.com");

    private PostgresDatabase dbA;
    private PostgresDatabase dbB;
    private PostgresMailStore a;
    private PostgresMailStore b;

    @BeforeEach
    void twoNodes() {
        PostgresCluster cluster = PostgresCluster.get();
        String schema = cluster.newSchema();
        dbA = cluster.database(schema, "node-a");
        dbB = cluster.database(schema, "node-b");
        a = PostgresMailStore.builder(dbA).build();
        b = PostgresMailStore.builder(dbB).build();
    }

    @AfterEach
    void close() {
        a.close();
        b.close();
        dbA.close();
        dbB.close();
    }

    static MessageSource msg(String subject) {
        return MessageSource.ofText("From: x@example.com\nSubject: " + subject + "\n\nhello " + subject + "\n");
    }

    @Test
    void eachNewMessageIsRecentInExactlyOneSessionWhicheverNodeItIsOn() throws Exception {
        try (Mailbox onA = a.account(ANN).open(MailboxName.INBOX);
             Mailbox onB = b.account(ANN).open(MailboxName.INBOX)) {
            onA.append(msg("r1"));
            onA.append(msg("r2"));
            try (MailboxView first = onB.openView(ViewMode.READ_WRITE)) {
                assertThat(first.recentCount()).as("the first session, on the other node, has both").isEqualTo(2);
                try (MailboxView second = onA.openView(ViewMode.READ_WRITE);
                     MailboxView examine = onA.openView(ViewMode.READ_ONLY)) {
                    assertThat(second.recentCount()).as("the appending node's later session has none").isZero();
                    assertThat(examine.recentCount()).isZero();
                    assertThat(onA.status().recent()).as("STATUS on the appending node").isZero();
                    onB.append(msg("r3"));
                    assertThat(second.awaitChanges(Duration.ofSeconds(10))).isTrue();
                    assertThat(first.awaitChanges(Duration.ofSeconds(10))).isTrue();
                    int onNodeA = second.sync().recentCount();
                    int onNodeB = first.sync().recentCount() - 2;
                    assertThat(onNodeA + onNodeB).as("r3 is recent in one of the two sessions, A: %d, B: %d",
                            onNodeA, onNodeB).isEqualTo(1);
                }
            }
        }
    }

    @Test
    void twoNodesAppendingToOneMailboxAtOnceNeverHandOutOneUidTwice() throws Exception {
        int threads = 4;
        int each = 40;
        ExecutorService pool = Executors.newFixedThreadPool(2 * threads);
        ConcurrentLinkedQueue<Long> uids = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        try {
            for (PostgresMailStore node : List.of(a, b)) {
                for (int t = 0; t < threads; t++) {
                    int id = t;
                    done.add(pool.submit(() -> {
                        start.await();
                        try (Mailbox inbox = node.account(ANN).open(MailboxName.INBOX)) {
                            for (int i = 0; i < each; i++) {
                                uids.add(inbox.append(msg(node + " " + id + " " + i)));
                            }
                        }
                        return null;
                    }));
                }
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(uids).hasSize(2 * threads * each);
        assertThat(new HashSet<>(uids)).as("no UID handed out twice").hasSize(2 * threads * each);
        for (PostgresMailStore node : List.of(a, b)) {
            try (Mailbox inbox = node.account(ANN).open(MailboxName.INBOX); MailboxView v = inbox.openView(ViewMode.READ_ONLY)) {
                assertThat(v.messageCount()).isEqualTo(2 * threads * each);
                assertThat(inbox.status().uidNext()).isEqualTo(2 * threads * each + 1);
                assertThat(v.uid(v.messageCount())).isEqualTo(2 * threads * each);
            }
        }
    }

    @Test
    void aViewOnOneNodeHearsOfAnAppendOnTheOtherWithin200Milliseconds() throws Exception {
        try (Mailbox onB = b.account(ANN).open(MailboxName.INBOX); MailboxView v = onB.openView(ViewMode.READ_WRITE);
             Mailbox onA = a.account(ANN).open(MailboxName.INBOX)) {
            List<Long> latencies = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                CountDownLatch woken = new CountDownLatch(1);
                v.setChangeListener(woken::countDown);
                long t0 = System.nanoTime();
                onA.append(msg("ping " + i));
                assertThat(woken.await(5, TimeUnit.SECONDS)).as("woken").isTrue();
                latencies.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
                MailboxChanges c = v.sync();
                assertThat(c.newMessages()).isEqualTo(1);
                assertThat(v.messageCount()).isEqualTo(i + 1);
            }
            latencies.sort(null);
            assertThat(latencies.get(2)).as("median wake-up after a delivery on the other node, ms: " + latencies)
                    .isLessThan(200);
        }
    }

    @Test
    void flagChangesAndExpungesReachTheOtherNodeInImapOrder() throws Exception {
        try (Mailbox onA = a.account(ANN).open(MailboxName.INBOX)) {
            for (int i = 1; i <= 4; i++) {
                onA.append(msg("m" + i));
            }
        }
        try (Mailbox onB = b.account(ANN).open(MailboxName.INBOX); MailboxView vb = onB.openView(ViewMode.READ_WRITE);
             Mailbox onA = a.account(ANN).open(MailboxName.INBOX); MailboxView va = onA.openView(ViewMode.READ_WRITE)) {
            assertThat(vb.messageCount()).isEqualTo(4);
            CountDownLatch woken = new CountDownLatch(1);
            vb.setChangeListener(woken::countDown);
            va.store(UidSet.of(2), FlagOperation.ADD, Flags.of(List.of(SystemFlag.FLAGGED), List.of("Work")));
            va.store(UidSet.of(3), FlagOperation.ADD, Flags.of(SystemFlag.DELETED));
            va.expunge();
            onA.append(msg("m5"));
            assertThat(woken.await(5, TimeUnit.SECONDS)).isTrue();
            MailboxChanges c = awaitChanges(vb, ch -> ch.newMessages() == 1);
            assertThat(c.expunged().uids()).isEqualTo(UidSet.of(3));
            assertThat(c.expunged().sequenceNumbers()).containsExactly(3);
            assertThat(c.flagsChanged()).isEqualTo(UidSet.of(2));
            assertThat(c.keywordsChanged()).isTrue();
            assertThat(onB.keywords()).contains("Work");
            assertThat(onB.message(2).orElseThrow().flags()).isEqualTo(Flags.of(List.of(SystemFlag.FLAGGED),
                    List.of("Work")));
            assertThat(vb.messageCount()).isEqualTo(4);
            assertThat(vb.uid(4)).isEqualTo(5);
            assertThat(c.highestModSeq()).isEqualTo(onA.status().highestModSeq());
            // everything but \Recent, which each node hands out to its own sessions
            assertThat(onB.status()).usingRecursiveComparison().ignoringFields("recent").isEqualTo(onA.status());
        }
    }

    /** Syncs until the changes pass the check (other nodes' changes may arrive in more than one catch-up). */
    private static MailboxChanges awaitChanges(MailboxView v, java.util.function.Predicate<MailboxChanges> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        Set<Long> expunged = new HashSet<>();
        MailboxChanges last = null;
        int newMessages = 0;
        Set<Long> flagged = new HashSet<>();
        List<Integer> seqs = new ArrayList<>();
        boolean keywords = false;
        while (System.nanoTime() < deadline) {
            MailboxChanges c = v.sync();
            newMessages += c.newMessages();
            c.expunged().uids().stream().forEach(expunged::add);
            for (int s : c.expunged().sequenceNumbers()) {
                seqs.add(s);
            }
            c.flagsChanged().stream().forEach(flagged::add);
            keywords |= c.keywordsChanged();
            last = c;
            MailboxChanges all = new MailboxChanges(
                    new dev.mailkit.store.Expunges(UidSet.of(expunged.stream().mapToLong(Long::longValue).toArray()),
                            seqs.stream().mapToInt(Integer::intValue).toArray()),
                    // a flag change of a message expunged in a later sync is what one sync would not report
                    newMessages, c.messageCount(), c.recentCount(), UidSet.of(flagged.stream()
                            .filter(u -> !expunged.contains(u)).mapToLong(Long::longValue).toArray()), keywords,
                    c.mailboxDeleted(),
                    c.highestModSeq());
            if (done.test(all)) {
                return all;
            }
            v.awaitChanges(Duration.ofMillis(100));
        }
        throw new AssertionError("changes did not arrive: last " + last);
    }

    @Test
    void hierarchyChangesOnOneNodeReachTheOther() throws Exception {
        MailAccount onA = a.account(ANN);
        MailAccount onB = b.account(ANN);
        onA.create(MailboxName.of("Projects"));
        onA.create(MailboxName.of("Projects.x"));
        try (Mailbox px = onA.open(MailboxName.of("Projects.x"))) {
            px.append(msg("in x"));
        }
        assertThat(names(onB.list())).contains("Projects", "Projects.x");
        try (Mailbox px = onB.open(MailboxName.of("Projects.x")); MailboxView v = px.openView(ViewMode.READ_WRITE)) {
            assertThat(v.messageCount()).isEqualTo(1);
            long validity = px.uidValidity();
            onA.rename(MailboxName.of("Projects"), MailboxName.of("Done"));
            assertThat(names(onB.list())).contains("Done", "Done.x").doesNotContain("Projects.x");
            try (Mailbox moved = onB.open(MailboxName.of("Done.x"))) {
                assertThat(moved.uidValidity()).isEqualTo(validity);
                assertThat(moved.status().messages()).isEqualTo(1);
            }
            onA.delete(MailboxName.of("Done.x"));
            MailboxChanges c = awaitChanges(v, MailboxChanges::mailboxDeleted);
            assertThat(c.mailboxDeleted()).isTrue();
        }
        assertThat(onB.exists(MailboxName.of("Done.x"))).isFalse();
        onA.subscribe(MailboxName.of("Done"));
        onB.subscribe(MailboxName.of("Elsewhere"));
        awaitTrue(() -> onB.subscriptions().contains(MailboxName.of("Done")));
        awaitTrue(() -> onA.subscriptions().contains(MailboxName.of("Elsewhere")));
        assertThat(onA.subscriptions()).containsExactly(MailboxName.of("Done"), MailboxName.of("Elsewhere"));
    }

    @Test
    void namesAndKeywordsThatLookLikeSqlAreOnlyNames() throws Exception {
        MailAccount onA = a.account(AccountId.parse("o'brien@example.com"));
        List<String> hostile = List.of("x'); DROP TABLE mk_message; --", "\"quoted\"", "semi;colon",
                "under_score", "Robert'); DELETE FROM mk_mailbox WHERE ('1'='1");
        for (String n : hostile) {
            onA.create(MailboxName.of(n));
        }
        try (Mailbox m = onA.open(MailboxName.of(hostile.get(0)))) {
            m.append(msg("kept"), Flags.of(List.of(), List.of("it's", "$x';--")), null);
        }
        MailAccount onB = b.account(AccountId.parse("o'brien@example.com"));
        assertThat(names(onB.list())).containsAll(hostile);
        try (Mailbox m = onB.open(MailboxName.of(hostile.get(0)))) {
            assertThat(m.message(1).orElseThrow().flags().keywords()).containsExactlyInAnyOrder("it's", "$x';--");
            assertThat(m.content(1).orElseThrow().asString()).contains("hello kept");
        }
        assertThat(onB.exists(MailboxName.of("under_scor"))).isFalse();
        assertThat(b.account(ANN).list()).extracting(i -> i.name().toString()).containsExactly("INBOX");
        MailStoreException e = org.junit.jupiter.api.Assertions.assertThrows(MailStoreException.class,
                () -> onB.create(MailboxName.of(hostile.get(1))));
        assertThat(e.reason()).isEqualTo(MailStoreException.Reason.ALREADY_EXISTS);
    }

    @Test
    void imapIdleOnOneNodeHearsADeliveryOnTheOtherWithin200Milliseconds() throws Exception {
        InMemoryUserDirectory users = InMemoryUserDirectory.builder().passwordHashIterations(1000)
                .user("ann@example.com", "secret").build();
        try (ImapServer imap = ImapServer.builder().users(users).store(b).requireTlsForLogin(false)
                .authFailurePenalty(AuthFailurePenalty.none()).build().start();
             RawClient c = new RawClient(imap.port(), Duration.ofSeconds(10));
             Mailbox onA = a.account(ANN).open(MailboxName.INBOX)) {
            c.readLine();
            assertThat(tagged(c, "a LOGIN ann@example.com secret")).contains("a OK");
            assertThat(tagged(c, "b SELECT INBOX")).contains("* 0 EXISTS").contains("b OK");
            c.send("c IDLE\r\n");
            assertThat(c.readLine()).startsWith("+ ");
            onA.append(msg("to the idler"));
            // from the append's commit (its return: under load the commit's own fsync is not the store's to hear)
            long t0 = System.nanoTime();
            assertThat(c.readLine()).isEqualTo("* 1 EXISTS");
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertThat(ms).as("IDLE on node b hears a delivery on node a " + ms + " ms after its commit")
                    .isLessThan(200);
            assertThat(c.readLine()).isEqualTo("* 1 RECENT");
            c.send("DONE\r\n");
            assertThat(c.readLine()).startsWith("c OK");
            assertThat(tagged(c, "d UID FETCH 1 (BODY.PEEK[HEADER.FIELDS (SUBJECT)])")).contains("to the idler");
        }
    }

    @Test
    void imapNotifyOnOneNodeHearsChangesOnTheOtherAsStatus() throws Exception {
        InMemoryUserDirectory users = InMemoryUserDirectory.builder().passwordHashIterations(1000)
                .user("ann@example.com", "secret").build();
        try (ImapServer imap = ImapServer.builder().users(users).store(b).requireTlsForLogin(false)
                .authFailurePenalty(AuthFailurePenalty.none()).build().start();
             RawClient c = new RawClient(imap.port(), Duration.ofSeconds(10));
             Mailbox onA = a.account(ANN).open(MailboxName.INBOX)) {
            c.readLine();
            assertThat(tagged(c, "a LOGIN ann@example.com secret")).contains("a OK");
            assertThat(tagged(c, "b NOTIFY SET (inboxes (MessageNew MessageExpunge FlagChange))"))
                    .isEqualTo("b OK NOTIFY completed\n");
            long uid = onA.append(msg("to the watcher"));
            assertThat(c.readLine()).isEqualTo("* STATUS INBOX (MESSAGES 1 UIDNEXT " + (uid + 1) + " UNSEEN 1)");
            try (MailboxView v = onA.openView(ViewMode.READ_WRITE)) {
                v.store(UidSet.of(uid), FlagOperation.ADD, Flags.of(SystemFlag.SEEN));
            }
            assertThat(c.readLine()).isEqualTo("* STATUS INBOX (UNSEEN 0)");
            assertThat(tagged(c, "c NOTIFY NONE")).isEqualTo("c OK NOTIFY completed\n");
        }
    }

    /**
     * NOTIFY's account events across nodes: the hierarchy, subscription and metadata changes node a makes reach an
     * IMAP session on node b as LIST and METADATA responses; and a change whose notification was lost (written here
     * with SQL, as a node would write it, without the pg_notify) arrives by node b's periodic comparison.
     */
    @Test
    void imapNotifyOnOneNodeHearsMailboxNameSubscriptionAndMetadataChangesOnTheOther() throws Exception {
        InMemoryUserDirectory users = InMemoryUserDirectory.builder().passwordHashIterations(1000)
                .user("ann@example.com", "secret").build();
        MailAccount onA = a.account(ANN);
        try (ImapServer imap = ImapServer.builder().users(users).store(b).requireTlsForLogin(false)
                .authFailurePenalty(AuthFailurePenalty.none()).build().start();
             RawClient c = new RawClient(imap.port(), Duration.ofSeconds(10))) {
            c.readLine();
            assertThat(tagged(c, "a LOGIN ann@example.com secret")).contains("a OK");
            assertThat(tagged(c, "b CAPABILITY")).contains(" NOTIFY");
            assertThat(tagged(c, "c NOTIFY SET (personal (MailboxName SubscriptionChange MailboxMetadataChange "
                    + "ServerMetadataChange))")).isEqualTo("c OK NOTIFY completed\n");
            onA.create(MailboxName.of("Projects"));
            assertThat(c.readLine()).isEqualTo("* LIST () \".\" Projects");
            onA.rename(MailboxName.of("Projects"), MailboxName.of("Done"));
            assertThat(c.readLine()).isEqualTo("* LIST () \".\" Done (\"OLDNAME\" (Projects))");
            onA.subscribe(MailboxName.of("Done"));
            assertThat(c.readLine()).isEqualTo("* LIST (\\Subscribed) \".\" Done");
            onA.metadata().orElseThrow().set(MailboxName.of("Done"), Map.of("/private/comment", new byte[] {'x'}));
            assertThat(c.readLine()).isEqualTo("* METADATA Done /private/comment");
            onA.metadata().orElseThrow().set(null, Map.of("/shared/admin", new byte[] {'y'}));
            assertThat(c.readLine()).isEqualTo("* METADATA \"\" /shared/admin");
            onA.delete(MailboxName.of("Done"));
            assertThat(c.readLine()).isEqualTo("* LIST (\\NonExistent) \".\" Done");
            try (java.sql.Connection sql = dbA.connection(); java.sql.Statement st = sql.createStatement()) {
                st.execute("WITH s AS (UPDATE mk_account SET change_seq = change_seq + 1 WHERE name = 'ann@example.com'"
                        + " RETURNING id, change_seq) INSERT INTO mk_account_change (account_id, seq, kind, mailbox)"
                        + " SELECT id, change_seq, 'CREATED', 'Lost' FROM s");
            }
            assertThat(c.readLine()).as("heard by the periodic comparison").isEqualTo("* LIST (\\NonExistent) \".\" Lost");
            assertThat(tagged(c, "d NOOP")).isEqualTo("d OK NOOP completed\n");
        }
    }

    /** Sends an IMAP command and reads every line up to and including its tagged reply. */
    static String tagged(RawClient c, String command) throws java.io.IOException {
        String tag = command.substring(0, command.indexOf(' '));
        c.send(command + "\r\n");
        StringBuilder sb = new StringBuilder();
        for (String line; (line = c.readLine()) != null; ) {
            sb.append(line).append('\n');
            if (line.startsWith(tag + " ")) {
                return sb.toString();
            }
        }
        throw new AssertionError("connection closed after " + sb);
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 5 s");
            }
            Thread.onSpinWait();
            new CountDownLatch(1).await(20, TimeUnit.MILLISECONDS);
        }
    }

    private static List<String> names(List<MailboxInfo> list) {
        List<String> out = new ArrayList<>();
        for (MailboxInfo i : list) {
            out.add(i.name().toString());
        }
        return out;
    }
}
