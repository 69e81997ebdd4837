package dev.mailkit.store.maildir;

import dev.mailkit.store.StoreSettings;

import java.time.Instant;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/** What every account and mailbox of one Maildir store shares: settings, durability, unique file names. Thread-safe. */
final class MaildirContext {
    final StoreSettings settings;
    final boolean sync;
    final String host;
    final long pid;
    final Random random;
    private final AtomicLong counter = new AtomicLong();

    MaildirContext(StoreSettings settings, boolean sync, String host, Random random) {
        this.settings = settings;
        this.sync = sync;
        this.host = MaildirFileName.safeHost(host);
        this.pid = ProcessHandle.current().pid();
        this.random = random;
    }

    /** A base name no other delivery of any process will use. */
    String newBase(long size, long crlfSize) {
        Instant now = settings.clock().instant();
        long micros = now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
        return MaildirFileName.newBase(micros, pid, counter.incrementAndGet(), random.nextLong(), host, size,
                crlfSize);
    }

    /** A random token for temporary names. */
    String token() {
        return Long.toHexString(random.nextLong() & Long.MAX_VALUE);
    }
}
