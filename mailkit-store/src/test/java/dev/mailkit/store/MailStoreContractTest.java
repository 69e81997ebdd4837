package dev.mailkit.store;

import dev.mailkit.core.MessageSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract every {@link MailStore} fulfils: hierarchy, messages, UIDs, flags, MODSEQ, views and change
 * notification, quotas, name safety and concurrency (many appenders, readers and sessions on one mailbox). A
 * store's test extends this class and implements {@link #createStore}.
 */
public abstract class MailStoreContractTest extends ObjectIdContract {
    // ================================================================================================ concurrency

    /**
     * A client's idea of the mailbox, kept only from what {@link MailboxChanges} report, as an IMAP client keeps
     * it from EXPUNGE and EXISTS responses; it must always match the view's snapshot.
     */
    private static final class ClientModel {
        final List<Long> uids = new ArrayList<>();
        long modSeq;

        void apply(MailboxChanges c, MailboxView v) {
            int[] seqs = c.expunged().sequenceNumbers();
            for (int seq : seqs) {
                assertThat(seq).isBetween(1, uids.size());
                uids.remove(seq - 1);
            }
            assertThat(c.messageCount()).isEqualTo(uids.size() + c.newMessages());
            for (int seq = uids.size() + 1; seq <= c.messageCount(); seq++) {
                long uid = v.uid(seq);
                assertThat(uids.isEmpty() || uid > uids.get(uids.size() - 1)).isTrue();
                uids.add(uid);
            }
            assertThat(c.highestModSeq()).isGreaterThanOrEqualTo(modSeq);
            modSeq = c.highestModSeq();
            for (long u : c.flagsChanged()) {
                assertThat(uids).contains(u);
            }
            assertThat(uids).containsExactly(java.util.Arrays.stream(snapshot(v)).boxed().toArray(Long[]::new));
        }
    }

    @Test
    void concurrentAppendersAndReadersAgree() throws Exception {
        Mailbox inbox = inbox();
        int writers = 6;
        int perWriter = 150;
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        AtomicInteger finished = new AtomicInteger();
        List<java.util.concurrent.Callable<Void>> tasks = new ArrayList<>();
        java.util.Map<Long, byte[]> written = new java.util.concurrent.ConcurrentHashMap<>();
        for (int w = 0; w < writers; w++) {
            int id = w;
            tasks.add(() -> {
                try (Mailbox box = ann.open(MailboxName.INBOX)) {
                    long last = 0;
                    for (int i = 0; i < perWriter; i++) {
                        byte[] b = ("Subject: w" + id + " m" + i + "\r\n\r\n" + "x".repeat(i * 7) + "\r\n")
                                .getBytes(StandardCharsets.US_ASCII);
                        long uid = box.append(MessageSource.of(b), i % 3 == 0 ? Flags.of(SystemFlag.SEEN) : Flags.NONE,
                                null);
                        assertThat(uid).isGreaterThan(last);
                        last = uid;
                        written.put(uid, b);
                    }
                } finally {
                    if (finished.incrementAndGet() == writers) {
                        done.set(true);
                    }
                }
                return null;
            });
        }
        for (int r = 0; r < 3; r++) {
            tasks.add(() -> {
                try (Mailbox box = ann.open(MailboxName.INBOX); MailboxView v = box.openView(ViewMode.READ_WRITE)) {
                    ClientModel model = new ClientModel();
                    for (int i = 1; i <= v.messageCount(); i++) {
                        model.uids.add(v.uid(i));
                    }
                    while (!done.get()) {
                        v.awaitChanges(Duration.ofMillis(50));
                        MailboxChanges c = v.sync();
                        model.apply(c, v);
                        for (int seq = Math.max(1, v.messageCount() - 5); seq <= v.messageCount(); seq++) {
                            assertThat(box.message(v.uid(seq))).isPresent();
                        }
                    }
                    model.apply(v.sync(), v);
                    assertThat(model.uids).hasSize(writers * perWriter);
                }
                return null;
            });
        }
        runConcurrently(tasks);
        MailboxStatus s = inbox.status();
        assertThat(s.messages()).isEqualTo(writers * perWriter);
        assertThat(s.uidNext()).isEqualTo(writers * perWriter + 1);
        assertThat(s.unseen()).isEqualTo(writers * (perWriter - (perWriter + 2) / 3));
        assertThat(written).hasSize(writers * perWriter);
        MailboxView v = view(inbox, ViewMode.READ_ONLY);
        long[] snap = snapshot(v);
        assertThat(ascending(snap)).isTrue();
        for (long uid : snap) {
            try (MessageSource c = inbox.content(uid).orElseThrow()) {
                assertThat(c.toByteArray()).isEqualTo(written.get(uid));
            }
        }
        assertThat(ann.quota().usedMessages()).isEqualTo(writers * perWriter);
    }

    @Test
    void changeNotificationStaysInOrderUnderConcurrentChanges() throws Exception {
        Mailbox inbox = inbox();
        appendN(inbox, 30);
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        AtomicInteger working = new AtomicInteger(3);
        List<java.util.concurrent.Callable<Void>> tasks = new ArrayList<>();
        tasks.add(() -> { // deliveries
            try (Mailbox box = ann.open(MailboxName.INBOX)) {
                for (int i = 0; i < 300; i++) {
                    box.append(msg("d" + i));
                }
            } finally {
                if (working.decrementAndGet() == 0) {
                    done.set(true);
                }
            }
            return null;
        });
        tasks.add(() -> { // a session that flags and expunges
            java.util.Random r = new java.util.Random(1);
            try (Mailbox box = ann.open(MailboxName.INBOX); MailboxView v = box.openView(ViewMode.READ_WRITE)) {
                for (int i = 0; i < 200; i++) {
                    v.sync();
                    if (v.messageCount() == 0) {
                        continue;
                    }
                    long uid = v.uid(1 + r.nextInt(v.messageCount()));
                    v.store(UidSet.of(uid), FlagOperation.ADD, r.nextBoolean() ? Flags.of(SystemFlag.DELETED)
                            : flags("$k" + r.nextInt(5)));
                    if (i % 7 == 0) {
                        v.expunge();
                    }
                }
            } finally {
                if (working.decrementAndGet() == 0) {
                    done.set(true);
                }
            }
            return null;
        });
        tasks.add(() -> { // a session that moves messages out
            try (Mailbox box = ann.open(MailboxName.INBOX); MailboxView v = box.openView(ViewMode.READ_WRITE)) {
                ann.create(name("Elsewhere"));
                try (Mailbox target = ann.open(name("Elsewhere"))) {
                    for (int i = 0; i < 60; i++) {
                        v.sync();
                        if (v.messageCount() > 2) {
                            v.move(UidSet.of(v.uid(2)), target);
                        }
                    }
                }
            } finally {
                if (working.decrementAndGet() == 0) {
                    done.set(true);
                }
            }
            return null;
        });
        for (int o = 0; o < 2; o++) {
            boolean deferSometimes = o == 1;
            tasks.add(() -> { // observers, as IMAP sessions: they sync between their commands
                try (Mailbox box = ann.open(MailboxName.INBOX); MailboxView v = box.openView(ViewMode.READ_WRITE)) {
                    ClientModel model = new ClientModel();
                    for (int i = 1; i <= v.messageCount(); i++) {
                        model.uids.add(v.uid(i));
                    }
                    int round = 0;
                    while (!done.get()) {
                        v.awaitChanges(Duration.ofMillis(20));
                        MailboxChanges c = deferSometimes && round++ % 2 == 0 ? v.syncWithoutExpunges() : v.sync();
                        model.apply(c, v);
                    }
                    model.apply(v.sync(), v);
                    try (MailboxView fresh = box.openView(ViewMode.READ_ONLY)) {
                        assertThat(model.uids).containsExactly(
                                java.util.Arrays.stream(snapshot(fresh)).boxed().toArray(Long[]::new));
                        assertThat(model.modSeq).isEqualTo(box.status().highestModSeq());
                    }
                }
                return null;
            });
        }
        runConcurrently(tasks);
        MailboxStatus s = inbox.status();
        try (Mailbox other = ann.open(name("Elsewhere"))) {
            assertThat(ann.quota().usedMessages()).isEqualTo(s.messages() + other.status().messages());
        }
    }

    @Test
    void manyWaitingSessionsAreAllWokenByOneDelivery() throws Exception {
        Mailbox inbox = inbox();
        int sessions = 40;
        java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(sessions);
        List<java.util.concurrent.Callable<Void>> tasks = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            tasks.add(() -> {
                try (MailboxView v = inbox.openView(ViewMode.READ_WRITE)) {
                    ready.countDown();
                    assertThat(v.awaitChanges(Duration.ofSeconds(30))).isTrue();
                    assertThat(v.sync().newMessages()).isEqualTo(1);
                }
                return null;
            });
        }
        tasks.add(() -> {
            assertThat(ready.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            inbox.append(msg("for everyone"));
            return null;
        });
        runConcurrently(tasks);
    }

    @Test
    void concurrentFlagChangesGetDistinctIncreasingModSeqs() throws Exception {
        Mailbox inbox = inbox();
        appendN(inbox, 10);
        long start = inbox.status().highestModSeq();
        java.util.Set<Long> opModSeqs = java.util.concurrent.ConcurrentHashMap.newKeySet();
        AtomicInteger changingOps = new AtomicInteger();
        List<java.util.concurrent.Callable<Void>> tasks = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int id = t;
            tasks.add(() -> {
                try (MailboxView v = inbox.openView(ViewMode.READ_WRITE)) {
                    for (int i = 0; i < 150; i++) {
                        StoreResult r = v.store(UidSet.range(1, 10), i % 2 == 0 ? FlagOperation.ADD
                                : FlagOperation.REMOVE, flags("$t" + id));
                        List<Long> changed = r.updates().stream().filter(StoreResult.Entry::changed)
                                .map(StoreResult.Entry::modSeq).distinct().toList();
                        assertThat(changed).hasSizeLessThanOrEqualTo(1);
                        if (!changed.isEmpty()) {
                            assertThat(opModSeqs.add(changed.get(0))).isTrue();
                            changingOps.incrementAndGet();
                        }
                    }
                }
                return null;
            });
        }
        runConcurrently(tasks);
        assertThat(opModSeqs).hasSize(changingOps.get());
        assertThat(inbox.status().highestModSeq()).isEqualTo(start + changingOps.get());
        for (long uid = 1; uid <= 10; uid++) {
            assertThat(inbox.message(uid).orElseThrow().flags()).isEqualTo(Flags.NONE);
        }
    }

    @Test
    void concurrentHierarchyChangesStayConsistent() throws Exception {
        List<java.util.concurrent.Callable<Void>> tasks = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int id = t;
            tasks.add(() -> {
                java.util.Random r = new java.util.Random(id);
                for (int i = 0; i < 150; i++) {
                    MailboxName a = name("f" + r.nextInt(6) + ".s" + r.nextInt(3));
                    MailboxName b = name("f" + r.nextInt(6));
                    try {
                        switch (r.nextInt(5)) {
                            case 0 -> ann.create(a);
                            case 1 -> ann.delete(a);
                            case 2 -> ann.rename(b, name("g" + r.nextInt(6)));
                            case 3 -> ann.create(b);
                            default -> {
                                try (Mailbox box = ann.open(a)) {
                                    box.append(msg("into " + a));
                                }
                            }
                        }
                    } catch (MailStoreException e) {
                        assertThat(e.reason()).isIn(MailStoreException.Reason.NOT_FOUND,
                                MailStoreException.Reason.ALREADY_EXISTS, MailStoreException.Reason.NOT_ALLOWED);
                    }
                }
                return null;
            });
        }
        runConcurrently(tasks);
        long messages = 0;
        for (MailboxInfo i : ann.list()) {
            if (i.selectable()) {
                try (Mailbox box = ann.open(i.name())) {
                    messages += box.status().messages();
                }
            } else {
                assertThat(i.hasChildren()).isTrue();
            }
        }
        assertThat(ann.quota().usedMessages()).isEqualTo(messages);
    }

    // ================================================================================================ values

    @Test
    void flagsIgnoreKeywordCase() {
        assertThat(flags("$Junk", "\\Seen")).isEqualTo(flags("\\SEEN", "$junk"));
        assertThat(flags("$Junk").union(flags("$JUNK")).keywords()).hasSize(1);
        assertThat(flags("\\Seen", "a", "b").minus(flags("A"))).isEqualTo(flags("\\Seen", "b"));
        assertThat(reasonOf(() -> flags("\\Bogus"))).isEqualTo(MailStoreException.Reason.INVALID_NAME);
        assertThat(reasonOf(() -> flags("bad word"))).isEqualTo(MailStoreException.Reason.INVALID_NAME);
        assertThat(flags("\\Recent")).isEqualTo(Flags.NONE);
    }
}
