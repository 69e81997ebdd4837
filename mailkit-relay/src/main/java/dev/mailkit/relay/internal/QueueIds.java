package dev.mailkit.relay.internal;

import java.time.Clock;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Queue ids: the time in base 36, a random part chosen once per queue instance and a counter, e.g.
 * {@code LQ3X9Z1AK2F0001}. They sort by time, are safe as file names, and differ between restarts even within one
 * millisecond. Thread-safe.
 */
public final class QueueIds {
    private final Clock clock;
    private final String instance;
    private final AtomicLong counter = new AtomicLong();

    public QueueIds(Clock clock, Random random) {
        this.clock = clock;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            sb.append(Character.forDigit(random.nextInt(36), 36));
        }
        this.instance = sb.toString().toUpperCase(Locale.ROOT);
    }

    public String next() {
        String t = Long.toString(clock.millis(), 36).toUpperCase(Locale.ROOT);
        String n = Long.toString(counter.incrementAndGet() % (36L * 36 * 36 * 36), 36).toUpperCase(Locale.ROOT);
        return t + instance + "0000".substring(n.length()) + n;
    }

    /** Whether a string has the shape of a queue id (so it can safely name a file). */
    public static boolean isWellFormed(String id) {
        return id != null && !id.isEmpty() && id.length() <= 40 && id.chars().allMatch(c -> (c >= '0' && c <= '9')
                || (c >= 'A' && c <= 'Z'));
    }
}
