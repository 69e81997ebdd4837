package dev.mailkit.store.maildir;

import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.store.FlagOperation;
import dev.mailkit.store.Flags;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.MailboxView;
import dev.mailkit.store.SystemFlag;
import dev.mailkit.store.UidSet;
import dev.mailkit.store.ViewMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads racing mailkit's own flag renames and expunges of the same message files (issue 16: under load the store
 * logged "deleted by another program; expunging UID n" although only mailkit touched the Maildir): a read of a
 * message that only changed flags always finds it, and only what was expunged is gone.
 */
class MaildirOwnRaceTest {
    static final MailAddress ANN = MailAddress.parse("ann@example.com");
    static final int MESSAGES = 40;
    static final int ROUNDS = 150;

    @TempDir
    Path tmp;

    @Test
    void readsRacingOwnRenamesAndExpungesNeverLoseAMessage() throws Exception {
        try (MaildirMailStore store = MaildirMailStore.builder(tmp).fsync(false).build();
             Mailbox inbox = store.account(ANN).open(MailboxName.INBOX)) {
            for (int i = 0; i < MESSAGES; i++) {
                inbox.append(MessageSource.ofText("Subject: m" + i + "\n\nbody " + i + "\n"));
            }
            Set<Long> expunged = ConcurrentHashMap.newKeySet();
            List<String> failures = new ArrayList<>();
            AtomicInteger reads = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(4);
            List<Thread> threads = new ArrayList<>();
            // two sessions flipping flags (each flip renames the file in cur/, the first one out of new/)
            for (int w = 0; w < 2; w++) {
                SystemFlag flag = w == 0 ? SystemFlag.FLAGGED : SystemFlag.ANSWERED;
                threads.add(new Thread(() -> {
                    try (MailboxView v = inbox.openView(ViewMode.READ_WRITE)) {
                        for (int r = 0; r < ROUNDS; r++) {
                            v.store(UidSet.range(1, MESSAGES), r % 2 == 0 ? FlagOperation.ADD : FlagOperation.REMOVE,
                                    Flags.of(flag));
                        }
                    } catch (RuntimeException e) {
                        synchronized (failures) {
                            failures.add(e.toString());
                        }
                    } finally {
                        done.countDown();
                    }
                }));
            }
            // a session expunging every fourth message, one at a time
            threads.add(new Thread(() -> {
                try (MailboxView v = inbox.openView(ViewMode.READ_WRITE)) {
                    for (long uid = 4; uid <= MESSAGES; uid += 4) {
                        v.store(UidSet.of(uid), FlagOperation.ADD, Flags.of(SystemFlag.DELETED));
                        expunged.add(uid);
                        v.expunge(UidSet.of(uid));
                    }
                } finally {
                    done.countDown();
                }
            }));
            // a reader: every message that was not expunged must be readable
            threads.add(new Thread(() -> {
                try {
                    while (done.getCount() > 1) {
                        for (long uid = 1; uid <= MESSAGES; uid++) {
                            boolean expungedBefore = expunged.contains(uid);
                            Optional<MessageSource> m = inbox.content(uid);
                            reads.incrementAndGet();
                            if (m.isEmpty()) {
                                if (!expungedBefore && !expunged.contains(uid)) {
                                    synchronized (failures) {
                                        failures.add("message " + uid + " read as gone");
                                    }
                                }
                                continue;
                            }
                            try (MessageSource s = m.get(); InputStream in = s.openStream()) {
                                in.readAllBytes();
                            }
                        }
                    }
                } catch (Exception e) {
                    synchronized (failures) {
                        failures.add(e.toString());
                    }
                } finally {
                    done.countDown();
                }
            }));
            threads.forEach(Thread::start);
            assertThat(done.await(120, TimeUnit.SECONDS)).isTrue();
            assertThat(failures).isEmpty();
            assertThat(reads.get()).isGreaterThan(MESSAGES);
            for (long uid = 1; uid <= MESSAGES; uid++) {
                assertThat(inbox.message(uid).isPresent()).as("UID " + uid).isEqualTo(uid % 4 != 0);
            }
        }
        // and after a restart, from the files and the index
        try (MaildirMailStore store = MaildirMailStore.builder(tmp).fsync(false).build();
             Mailbox inbox = store.account(ANN).open(MailboxName.INBOX)) {
            assertThat(inbox.status().messages()).isEqualTo(MESSAGES - MESSAGES / 4);
        }
    }
}
