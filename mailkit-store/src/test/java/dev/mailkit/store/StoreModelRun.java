package dev.mailkit.store;

import dev.mailkit.core.MessageSource;
import dev.mailkit.store.memory.MemoryMailStore;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The model-based check of a store, shared by every store's model test: a seeded random sequence of appends, flag
 * changes (system flags and keywords), expunges, copies and moves between two mailboxes, each made on the in-memory
 * reference store and on one of the stores under test (its "nodes", chosen at random, all reading one storage);
 * after every step each node must hold what the reference holds (the same UIDs, flags, sizes and contents), and now
 * and then a node restarts and must come back with all of it. For tests in other modules (in this module's test
 * jar). Not thread-safe.
 */
public final class StoreModelRun {
    /** The account the run works in. */
    public static final AccountId JOE = AccountId.parse("joe@example.com");
    /** The second mailbox (the first is INBOX). */
    public static final MailboxName ARCHIVE = MailboxName.of("Archive");
    private static final SystemFlag[] SYSTEM = {SystemFlag.SEEN, SystemFlag.ANSWERED, SystemFlag.FLAGGED,
        SystemFlag.DELETED, SystemFlag.DRAFT};

    /** The stores under test: any number of nodes over one storage, each of which can be restarted. */
    public interface Nodes {
        /** How many nodes there are. */
        int count();

        /** Node {@code i} as it is now. */
        MailStore node(int i);

        /** Closes node {@code i} and opens it again over the same storage. */
        void restart(int i);
    }

    private final long seed;
    private final List<String> keywords;
    private final Nodes nodes;
    private final Random r;

    private StoreModelRun(long seed, List<String> keywords, Nodes nodes) {
        this.seed = seed;
        this.keywords = keywords;
        this.nodes = nodes;
        this.r = new Random(seed);
    }

    /** Runs {@code steps} random operations with the given seed and keyword vocabulary, asserting after each. */
    public static void run(long seed, int steps, List<String> keywords, Nodes nodes) {
        new StoreModelRun(seed, keywords, nodes).run(steps);
    }

    private void run(int steps) {
        try (MemoryMailStore model = MemoryMailStore.create()) {
            model.account(JOE).create(ARCHIVE);
            nodes.node(0).account(JOE).create(ARCHIVE);
            for (int step = 0; step < steps; step++) {
                String what = step(model, step);
                if (what == null) {
                    continue;
                }
                String context = "seed " + seed + " step " + step + " after " + what;
                List<String> expected = snapshot(model);
                for (int n = 0; n < nodes.count(); n++) {
                    assertThat(snapshot(nodes.node(n))).as(context + ", node " + n).isEqualTo(expected);
                }
                if (r.nextInt(8) == 0) {
                    int n = r.nextInt(nodes.count());
                    nodes.restart(n);
                    assertThat(snapshot(nodes.node(n))).as(context + " and a restart of node " + n)
                            .isEqualTo(expected);
                }
            }
        }
    }

    /** One random operation on the model and one node; what it was, or null when there was nothing to do. */
    private String step(MailStore model, int step) {
        int op = r.nextInt(10);
        int node = nodes.count() == 1 ? 0 : r.nextInt(nodes.count());
        MailboxName box = r.nextBoolean() ? MailboxName.INBOX : ARCHIVE;
        MailboxName other = box.equals(MailboxName.INBOX) ? ARCHIVE : MailboxName.INBOX;
        List<MailStore> both = List.of(model, nodes.node(node));
        if (op < 4) {
            byte[] m = ("Subject: s" + seed + " step " + step + "\r\n\r\n" + "x".repeat(r.nextInt(3000)) + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            Flags f = randomFlags();
            for (MailStore s : both) {
                try (Mailbox b = s.account(JOE).open(box)) {
                    b.append(MessageSource.of(m), f, Instant.ofEpochSecond(1_700_000_000L + step));
                }
            }
            return "append " + f + " to " + box + " on node " + node;
        }
        List<Long> uids = uids(model.account(JOE), box);
        if (uids.isEmpty()) {
            return null;
        }
        long[] pick = uids.stream().filter(u -> r.nextInt(3) == 0).mapToLong(Long::longValue).toArray();
        if (pick.length == 0) {
            pick = new long[] {uids.get(r.nextInt(uids.size()))};
        }
        FlagOperation fo = FlagOperation.values()[r.nextInt(3)];
        Flags f = randomFlags();
        for (MailStore s : both) {
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
        return (op < 7 ? "store " + fo + " " + f : op == 7 ? "expunge" : op == 8 ? "copy" : "move")
                + " " + Arrays.toString(pick) + " in " + box + " on node " + node;
    }

    private Flags randomFlags() {
        List<SystemFlag> sys = new ArrayList<>();
        for (SystemFlag f : SYSTEM) {
            if (r.nextInt(3) == 0) {
                sys.add(f);
            }
        }
        List<String> kw = new ArrayList<>();
        for (String k : keywords) {
            if (r.nextInt(4) == 0) {
                kw.add(k);
            }
        }
        return Flags.of(sys, kw);
    }

    private static List<Long> uids(MailAccount a, MailboxName box) {
        List<Long> out = new ArrayList<>();
        try (Mailbox b = a.open(box); MailboxView v = b.openView(ViewMode.READ_ONLY)) {
            for (int seq = 1; seq <= v.messageCount(); seq++) {
                out.add(v.uid(seq));
            }
        }
        return out;
    }

    /** Every message of both mailboxes: UID, flags, size and content. */
    private static List<String> snapshot(MailStore s) {
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
