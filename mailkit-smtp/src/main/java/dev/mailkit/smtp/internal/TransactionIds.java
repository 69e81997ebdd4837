package dev.mailkit.smtp.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Ids for mail transactions, as named in the {@code 250} reply, the {@code Received:} header and logs: a prefix
 * from the server's start time and a counter, like Postfix queue ids. Unique per server; thread-safe.
 * <p>
 * Written in base 36 with upper-case digits by hand: one id per message, and {@code Long.toString(n, 36)} plus
 * upper-casing plus concatenation was one of the larger JIT compilations of the receiving path.
 */
public final class TransactionIds {
    private static final char[] DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ".toCharArray();

    private final String prefix;
    private final AtomicLong counter = new AtomicLong();

    public TransactionIds(long startMillis) {
        this.prefix = base36(startMillis / 1000 % (36L * 36 * 36 * 36 * 36 * 36), 1);
    }

    public String next() {
        return prefix + base36(counter.incrementAndGet(), 4);
    }

    /** {@code n >= 0} in base 36, at least {@code width} digits (zero-padded). */
    static String base36(long n, int width) {
        char[] buf = new char[13];
        int i = buf.length;
        do {
            buf[--i] = DIGITS[(int) (n % 36)];
            n /= 36;
        } while (n > 0);
        while (buf.length - i < width) {
            buf[--i] = '0';
        }
        return new String(buf, i, buf.length - i);
    }
}
