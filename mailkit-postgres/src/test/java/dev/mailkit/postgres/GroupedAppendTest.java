package dev.mailkit.postgres;

import dev.mailkit.core.MessageSource;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Group commit of appends ({@code MailboxStorage.groupsAppends}): concurrent deliveries to one mailbox, on two nodes at
 * once, are recorded several to a transaction (fewer inserting transactions than messages, seen in the rows'
 * {@code xmin}), yet every append returns only once its own row is committed (read at once from another connection),
 * and no UID is handed out twice.
 */
class GroupedAppendTest {
    static final AccountId ANN = AccountId.parse("ann@example.com");
    static final int THREADS = 12;
    static final int EACH = 20;

    private String schema;
    private PostgresDatabase dbA;
    private PostgresDatabase dbB;
    private PostgresMailStore a;
    private PostgresMailStore b;

    @BeforeEach
    void twoNodes() {
        PostgresCluster cluster = PostgresCluster.get();
        schema = cluster.newSchema();
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

    @Test
    void concurrentAppendsShareCommitsAndEachReturnsOnlyOnceItsRowIsCommitted() throws Exception {
        Set<Long> uids = ConcurrentHashMap.newKeySet();
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        try (Mailbox onA = a.account(ANN).open(MailboxName.INBOX);
             Mailbox onB = b.account(ANN).open(MailboxName.INBOX)) {
            for (int t = 0; t < THREADS; t++) {
                Mailbox box = t % 3 == 0 ? onB : onA; // a third of the deliveries through the other node
                int id = t;
                Thread th = new Thread(() -> {
                    try (Connection c = DriverManager.getConnection(PostgresCluster.get().jdbcUrl());
                         PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + schema
                                 + ".mk_message WHERE uid = ?")) {
                        start.await();
                        for (int i = 0; i < EACH; i++) {
                            long uid = box.append(MessageSource.ofText("Subject: " + id + "-" + i + "\n\nbody\n"));
                            if (!uids.add(uid)) {
                                problems.add("UID " + uid + " handed out twice");
                            }
                            ps.setLong(1, uid);
                            try (ResultSet rs = ps.executeQuery()) {
                                rs.next();
                                if (rs.getInt(1) != 1) {
                                    problems.add("UID " + uid + " returned before its row was committed");
                                }
                            }
                        }
                    } catch (Exception e) {
                        problems.add(e.toString());
                    }
                }, "append-" + t);
                th.start();
                threads.add(th);
            }
            start.countDown();
            for (Thread th : threads) {
                th.join(TimeUnit.MINUTES.toMillis(2));
                assertThat(th.isAlive()).as("%s finished", th.getName()).isFalse();
            }
            assertThat(problems).isEmpty();
            assertThat(uids).hasSize(THREADS * EACH);
            assertThat(onA.status().messages()).isEqualTo(THREADS * EACH);
        }
        try (Connection c = DriverManager.getConnection(PostgresCluster.get().jdbcUrl());
             PreparedStatement ps = c.prepareStatement("SELECT count(*), count(DISTINCT xmin::text), "
                     + "count(DISTINCT uid) FROM " + schema + ".mk_message");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            int rows = rs.getInt(1);
            int transactions = rs.getInt(2);
            System.out.printf("GroupedAppendTest: %d appends recorded in %d transactions%n", rows, transactions);
            assertThat(rows).isEqualTo(THREADS * EACH);
            assertThat(rs.getInt(3)).isEqualTo(rows);
            assertThat(transactions).as("appends that waited for the mailbox were committed together")
                    .isLessThan(rows);
        }
    }
}
