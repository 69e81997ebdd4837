package dev.mailkit.smtp.internal;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ids for mail transactions, as named in the {@code 250} reply, the {@code Received:} header and logs: a prefix
 * from the server's start time and a counter, like Postfix queue ids. Unique per server; thread-safe.
 */
public final class TransactionIds {
    private final String prefix;
    private final AtomicLong counter = new AtomicLong();

    public TransactionIds(long startMillis) {
        this.prefix = Long.toString(startMillis / 1000 % (36L * 36 * 36 * 36 * 36 * 36), 36).toUpperCase(Locale.ROOT);
    }

    public String next() {
        String n = Long.toString(counter.incrementAndGet(), 36).toUpperCase(Locale.ROOT);
        return prefix + "0000".substring(Math.min(4, n.length())) + n;
    }
}
