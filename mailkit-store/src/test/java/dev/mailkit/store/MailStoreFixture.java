package dev.mailkit.store;

import dev.mailkit.core.MutableClock;
import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the store contract tests share: a fresh store per test built by the store's {@link #createStore}, an account
 * ({@code ann@example.com}), a clock to move, and small helpers. The contract itself is {@link MailStoreContractTest},
 * whose superclasses hold its parts (hierarchy, messages and quota, views and changes).
 */
public abstract class MailStoreFixture {
    /** The settings a store under test must be built with. */
    public record Settings(MutableClock clock, QuotaPolicy quota, int maxKeywordsPerMailbox, int maxMailboxesPerAccount) {
    }

    /** A new, empty store with these settings (and otherwise its defaults). */
    protected abstract MailStore createStore(Settings settings);

    protected static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");
    protected MutableClock clock;
    protected MailStore store;
    protected MailAccount ann;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @TempDir
    Path tmp;

    /** The settings for this test (override to change one). */
    protected Settings settings() {
        return new Settings(clock, QuotaPolicy.unlimited(), 50, 100);
    }

    @BeforeEach
    void setUpStore() {
        clock = new MutableClock(T0);
        store = createStore(settings());
        ann = store.account(MailAddress.parse("ann@example.com"));
    }

    @AfterEach
    void closeStore() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        store.close();
    }

    protected <T extends AutoCloseable> T closing(T c) {
        toClose.add(c);
        return c;
    }

    protected static MailboxName name(String s) {
        return MailboxName.of(s);
    }

    protected static MessageSource msg(String subject) {
        return MessageSource.ofText("From: a@example.com\nSubject: " + subject + "\n\nbody of " + subject + "\n");
    }

    protected Mailbox inbox() {
        return closing(ann.open(MailboxName.INBOX));
    }

    protected MailboxView view(Mailbox box, ViewMode mode) {
        return closing(box.openView(mode));
    }

    protected static long[] appendN(Mailbox box, int n) {
        long[] uids = new long[n];
        for (int i = 0; i < n; i++) {
            uids[i] = box.append(msg("m" + i));
        }
        return uids;
    }

    protected static MailStoreException.Reason reasonOf(Runnable r) {
        try {
            r.run();
        } catch (MailStoreException e) {
            assertThat(e.getMessage()).isNotBlank();
            return e.reason();
        }
        throw new AssertionError("expected a MailStoreException");
    }

    protected static Flags flags(String... imapNames) {
        return Flags.parse(List.of(imapNames));
    }

    protected static List<String> names(List<MailboxInfo> infos) {
        return infos.stream().map(i -> i.name().toString()).toList();
    }

    protected static MailboxInfo info(MailAccount a, String n) {
        return a.list().stream().filter(i -> i.name().toString().equals(n)).findFirst().orElseThrow();
    }

    /** Runs the tasks on their own threads, all at once, and fails with the first error. */
    protected static void runConcurrently(List<java.util.concurrent.Callable<Void>> tasks) throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(tasks.size());
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<Void>> futures = new ArrayList<>();
            for (java.util.concurrent.Callable<Void> t : tasks) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return t.call();
                }));
            }
            start.countDown();
            for (java.util.concurrent.Future<Void> f : futures) {
                try {
                    f.get(60, java.util.concurrent.TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof Exception) {
                        throw (Exception) e.getCause();
                    }
                    throw new AssertionError(e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Helper for subclasses: bytes of a message. */
    protected static byte[] bytesOf(MessageSource m) {
        return m.toByteArray();
    }

    /** Helper for subclasses: writes a stream fully. */
    protected static void copy(InputStream in, OutputStream out) throws IOException {
        in.transferTo(out);
    }

    /** Helper for subclasses: the UIDs of a view's snapshot. */
    protected static long[] snapshot(MailboxView v) {
        long[] out = new long[v.messageCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = v.uid(i + 1);
        }
        return out;
    }

    /** Helper for subclasses: whether the array ascends strictly. */
    protected static boolean ascending(long[] a) {
        for (int i = 1; i < a.length; i++) {
            if (a[i] <= a[i - 1]) {
                return false;
            }
        }
        return true;
    }

    static String describe(long[] a) {
        return Arrays.toString(a);
    }
}
