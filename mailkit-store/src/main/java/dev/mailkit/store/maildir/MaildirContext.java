package dev.mailkit.store.maildir;

import dev.mailkit.store.StoreSettings;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/** What every account and mailbox of one Maildir store shares: settings, durability, unique file names. Thread-safe. */
final class MaildirContext {
    final StoreSettings settings;
    final boolean sync;
    final String host;
    final long pid;
    private final Random random; // null: ThreadLocalRandom mixed with the seed below
    private final long seed;
    private final AtomicLong counter = new AtomicLong();

    /**
     * With {@code random} null, names take their random part from {@link ThreadLocalRandom} mixed with a seed drawn
     * once from {@link SecureRandom}: unique per process without a lock per message (a shared SecureRandom reads
     * /dev/urandom under one global lock, which JFR showed delivery threads waiting 10-24 ms for under load).
     */
    MaildirContext(StoreSettings settings, boolean sync, String host, Random random) {
        this.settings = settings;
        this.sync = sync;
        this.host = MaildirFileName.safeHost(host);
        this.pid = ProcessHandle.current().pid();
        this.random = random;
        this.seed = random == null ? new SecureRandom().nextLong() : 0;
    }

    private long nextLong() {
        return random != null ? random.nextLong() : ThreadLocalRandom.current().nextLong() ^ seed;
    }

    /** A base name no other delivery of any process will use. */
    String newBase(long size, long crlfSize) {
        Instant now = settings.clock().instant();
        long micros = now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
        return MaildirFileName.newBase(micros, pid, counter.incrementAndGet(), nextLong(), host, size,
                crlfSize);
    }

    /** A random token for temporary names. */
    String token() {
        return Long.toHexString(nextLong() & Long.MAX_VALUE);
    }
}
