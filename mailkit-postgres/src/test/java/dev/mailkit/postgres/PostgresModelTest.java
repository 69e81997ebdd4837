package dev.mailkit.postgres;

import dev.mailkit.core.MessageSource;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.FlagOperation;
import dev.mailkit.store.Flags;
import dev.mailkit.store.MailAccount;
import dev.mailkit.store.MailStore;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.MailboxView;
import dev.mailkit.store.MessageInfo;
import dev.mailkit.store.SystemFlag;
import dev.mailkit.store.UidSet;
import dev.mailkit.store.ViewMode;
import dev.mailkit.store.memory.MemoryMailStore;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Model-based check of the PostgreSQL store with two nodes on one database: seeded random sequences of appends,
 * flag changes (system flags and keywords), expunges, copies and moves between two mailboxes, each made on a node
 * chosen at random, with restarts of a node in between, run against the in-memory reference store; after every step
 * both nodes must hold what the reference holds (same UIDs, flags, sizes and contents), each having learnt the other's
 * changes from the database.
 */
class PostgresModelTest {
    static final AccountId JOE = AccountId.parse("joe@example.com");
    static final MailboxName ARCHIVE = MailboxName.of("Archive");
    static final List<String> KEYWORDS = List.of("$Label1", "Work", "todo", "it's;DROP_TABLE_mk_message;--'");
    static final SystemFlag[] SYSTEM = {SystemFlag.SEEN, SystemFlag.ANSWERED, SystemFlag.FLAGGED, SystemFlag.DELETED,
        SystemFlag.DRAFT};

    @Test
    void randomOperationsOnTwoNodesLeaveBothWhereTheReferenceIs() {
        for (long seed = 1; seed <= Long.getLong("fuzz.seeds", 4); seed++) {
            run(seed);
        }
    }

    private void run(long seed) {
        PostgresCluster cluster = PostgresCluster.get();
        String schema = cluster.newSchema();
        Random r = new Random(seed);
        MemoryMailStore model = MemoryMailStore.create();
        PostgresDatabase[] dbs = {cluster.database(schema, "a"), cluster.database(schema, "b")};
        MailStore[] nodes = {PostgresMailStore.builder(dbs[0]).build(), PostgresMailStore.builder(dbs[1]).build()};
        try {
            model.account(JOE).create(ARCHIVE);
            nodes[0].account(JOE).create(ARCHIVE);
            for (int step = 0; step < 50; step++) {
                int op = r.nextInt(10);
                int node = r.nextInt(2);
                MailboxName box = r.nextBoolean() ? MailboxName.INBOX : ARCHIVE;
                MailboxName other = box.equals(MailboxName.INBOX) ? ARCHIVE : MailboxName.INBOX;
                String what;
                if (op < 4) {
                    byte[] m = ("Subject: s" + seed + " step " + step + "\r\n\r\n" + "x".repeat(r.nextInt(3000))
                            + "\r\n").getBytes(StandardCharsets.US_ASCII);
                    Flags f = randomFlags(r);
                    what = "append " + f + " to " + box + " on node " + node;
                    for (MailStore s : List.of(model, nodes[node])) {
                        try (Mailbox b = s.account(JOE).open(box)) {
                            b.append(MessageSource.of(m), f, Instant.ofEpochSecond(1_700_000_000L + step));
                        }
                    }
                } else {
                    List<Long> uids = uids(model.account(JOE), box);
                    if (uids.isEmpty()) {
                        continue;
                    }
                    long[] pick = uids.stream().filter(u -> r.nextInt(3) == 0).mapToLong(Long::longValue).toArray();
                    if (pick.length == 0) {
                        pick = new long[] {uids.get(r.nextInt(uids.size()))};
                    }
                    FlagOperation fo = FlagOperation.values()[r.nextInt(3)];
                    Flags f = randomFlags(r);
                    what = (op < 7 ? "store " + fo + " " + f : op == 7 ? "expunge" : op == 8 ? "copy" : "move")
                            + " " + Arrays.toString(pick) + " in " + box + " on node " + node;
                    for (MailStore s : List.of(model, nodes[node])) {
                        MailAccount a = s.account(JOE);
                        try (Mailbox b = a.open(box); MailboxView v = b.openView(ViewMode.READ_WRITE);
                             Mailbox target = a.open(other)) {
                            UidSet set = UidSet.of(pick);
                            if (op < 7) {
                                v.store(set, fo, f);
                            } else if (op == 7) {
                                v.store(set, FlagOperation.ADD, Flags.of(SystemFlag.DELETED));
                                v.expunge(set);
                            } else if (op == 8) {
                                v.copy(set, target);
                            } else {
                                v.move(set, target);
                            }
                        }
                    }
                }
                String context = "seed " + seed + " step " + step + " after " + what;
                List<String> expected = snapshot(model);
                assertThat(snapshot(nodes[0])).as(context + ", node a").isEqualTo(expected);
                assertThat(snapshot(nodes[1])).as(context + ", node b").isEqualTo(expected);
                if (r.nextInt(8) == 0) { // a node restarts: everything comes back from the database
                    int n = r.nextInt(2);
                    nodes[n].close();
                    nodes[n] = PostgresMailStore.builder(dbs[n]).build();
                    assertThat(snapshot(nodes[n])).as(context + " and a restart of node " + n).isEqualTo(expected);
                }
            }
        } finally {
            for (MailStore s : nodes) {
                s.close();
            }
            for (PostgresDatabase db : dbs) {
                db.close();
            }
            model.close();
        }
    }

    static Flags randomFlags(Random r) {
        List<SystemFlag> sys = new ArrayList<>();
        for (SystemFlag f : SYSTEM) {
            if (r.nextInt(3) == 0) {
                sys.add(f);
            }
        }
        List<String> kw = new ArrayList<>();
        for (String k : KEYWORDS) {
            if (r.nextInt(4) == 0) {
                kw.add(k);
            }
        }
        return Flags.of(sys, kw);
    }

    static List<Long> uids(MailAccount a, MailboxName box) {
        List<Long> out = new ArrayList<>();
        try (Mailbox b = a.open(box); MailboxView v = b.openView(ViewMode.READ_ONLY)) {
            for (int seq = 1; seq <= v.messageCount(); seq++) {
                out.add(v.uid(seq));
            }
        }
        return out;
    }

    /** Every message of both mailboxes: UID, flags, size and content. */
    static List<String> snapshot(MailStore s) {
        List<String> out = new ArrayList<>();
        MailAccount a = s.account(JOE);
        for (MailboxName box : List.of(MailboxName.INBOX, ARCHIVE)) {
            try (Mailbox b = a.open(box)) {
                out.add(box + ": " + b.status().messages() + " messages, next UID " + b.status().uidNext());
                for (long uid : uids(a, box)) {
                    MessageInfo i = b.message(uid).orElseThrow();
                    String content = b.content(uid).orElseThrow().asString();
                    out.add(box + " " + uid + " " + i.flags() + " " + i.size() + " " + content.hashCode());
                }
            }
        }
        return out;
    }
}
