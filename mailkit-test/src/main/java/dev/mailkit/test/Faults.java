package dev.mailkit.test;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.filter.FilterVerdict;
import dev.mailkit.core.filter.MailFilter;
import dev.mailkit.core.filter.SessionInfo;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Scripted failures for a test mail server, to test how an application copes with a mail server that refuses,
 * fails or hangs. Deterministic unless {@link #chaos} is used, and then reproducible from its seed. Changes take
 * effect for the next command; {@link #reset()} clears everything. Thread-safe.
 *
 * <pre>{@code
 * mail.faults().rejectRecipient("nobody@example.test", 550, "5.1.1", "No such user");
 * mail.faults().failNext(2, 451);          // the next two messages get 451 4.3.0 after DATA
 * mail.faults().disconnectAfterData(1);    // the next message: the connection drops without a reply
 * }</pre>
 */
public final class Faults {
    private final Map<MailAddress, FilterVerdict> recipients = new ConcurrentHashMap<>();
    private final Map<MailAddress, FilterVerdict> senders = new ConcurrentHashMap<>();
    private final AtomicInteger failNext = new AtomicInteger();
    private volatile int failCode = 451;
    private final AtomicInteger disconnectNext = new AtomicInteger();
    private volatile Duration delay = Duration.ZERO;
    private volatile long minNanosBetweenMessages;
    private final ReentrantLock paceLock = new ReentrantLock();
    private long lastMessageNanos;
    private volatile Chaos chaos;

    Faults() {
    }

    /**
     * Refuses a recipient at RCPT time: codes 4xx are temporary (the client should retry), 5xx permanent.
     *
     * @param enhancedStatus e.g. {@code 5.1.1}; its class must match the code
     */
    public Faults rejectRecipient(String address, int code, String enhancedStatus, String text) {
        recipients.put(MailAddress.parse(address), verdict(code, enhancedStatus, text));
        return this;
    }

    /** Refuses a sender (MAIL FROM) with the given reply. */
    public Faults rejectSender(String address, int code, String enhancedStatus, String text) {
        senders.put(MailAddress.parse(address), verdict(code, enhancedStatus, text));
        return this;
    }

    /**
     * Fails the next {@code transactions} messages after their DATA with a temporary error: 421 (and the connection
     * closes), 451 or 452. Nothing of them is recorded.
     */
    public Faults failNext(int transactions, int code) {
        if (code != 421 && code != 451 && code != 452) {
            throw new IllegalArgumentException("failNext takes 421, 451 or 452, was " + code);
        }
        this.failCode = code;
        failNext.set(transactions);
        return this;
    }

    /** Drops the connection, without a reply, after the DATA of the next {@code transactions} messages. */
    public Faults disconnectAfterData(int transactions) {
        disconnectNext.set(transactions);
        return this;
    }

    /** Delays every reply by this long (zero turns it off). */
    public Faults delayReplies(Duration d) {
        this.delay = Objects.requireNonNull(d, "delay");
        return this;
    }

    /** Accepts at most this many messages per second over all sessions, delaying the rest (0 turns it off). */
    public Faults throttle(int messagesPerSecond) {
        if (messagesPerSecond < 0) {
            throw new IllegalArgumentException("messagesPerSecond must be >= 0");
        }
        this.minNanosBetweenMessages = messagesPerSecond == 0 ? 0 : 1_000_000_000L / messagesPerSecond;
        return this;
    }

    /**
     * Random failures after DATA, reproducible from the seed: each message is temporarily failed (451) with
     * probability {@code tempFailRate}, permanently refused (554) with {@code rejectRate}, or dropped without a reply
     * with {@code disconnectRate}.
     */
    public Faults chaos(long seed, double tempFailRate, double rejectRate, double disconnectRate) {
        if (tempFailRate < 0 || rejectRate < 0 || disconnectRate < 0 || tempFailRate + rejectRate + disconnectRate > 1) {
            throw new IllegalArgumentException("rates must be >= 0 and add up to at most 1");
        }
        this.chaos = new Chaos(seed, tempFailRate, rejectRate, disconnectRate);
        return this;
    }

    /** Clears every scripted failure. */
    public Faults reset() {
        recipients.clear();
        senders.clear();
        failNext.set(0);
        disconnectNext.set(0);
        delay = Duration.ZERO;
        minNanosBetweenMessages = 0;
        chaos = null;
        return this;
    }

    private static FilterVerdict verdict(int code, String status, String text) {
        return code >= 500 ? FilterVerdict.reject(code, status, text) : FilterVerdict.tempFail(code, status, text);
    }

    /** The filter that applies the script in the server. */
    MailFilter filter() {
        return new MailFilter() {
            @Override
            public FilterVerdict onConnect(SessionInfo s) {
                pause();
                return FilterVerdict.accept();
            }

            @Override
            public FilterVerdict onHelo(SessionInfo s, String helo) {
                pause();
                return FilterVerdict.accept();
            }

            @Override
            public FilterVerdict onMailFrom(SessionInfo s, Optional<MailAddress> from, Map<String, String> p) {
                pause();
                return from.map(senders::get).orElse(FilterVerdict.accept());
            }

            @Override
            public FilterVerdict onRcptTo(SessionInfo s, MailAddress r, Map<String, String> p) {
                pause();
                FilterVerdict v = recipients.get(r);
                return v == null ? FilterVerdict.accept() : v;
            }

            @Override
            public FilterVerdict onData(SessionInfo s, Envelope e, MessageSource m) {
                pause();
                pace();
                if (take(disconnectNext)) {
                    return FilterVerdict.disconnect();
                }
                if (take(failNext)) {
                    return FilterVerdict.tempFail(failCode, failCode == 452 ? "4.3.1" : "4.3.0",
                            "Scripted temporary failure (mailkit test server)");
                }
                Chaos c = chaos;
                return c == null ? FilterVerdict.accept() : c.next();
            }
        };
    }

    private static boolean take(AtomicInteger n) {
        int v;
        do {
            v = n.get();
            if (v <= 0) {
                return false;
            }
        } while (!n.compareAndSet(v, v - 1));
        return true;
    }

    private void pause() {
        Duration d = delay;
        if (!d.isZero()) {
            sleep(d.toNanos());
        }
    }

    private void pace() {
        long gap = minNanosBetweenMessages;
        if (gap == 0) {
            return;
        }
        long wait;
        paceLock.lock();
        try {
            long now = System.nanoTime();
            long next = Math.max(now, lastMessageNanos + gap);
            wait = next - now;
            lastMessageNanos = next;
        } finally {
            paceLock.unlock();
        }
        sleep(wait);
    }

    private static void sleep(long nanos) {
        if (nanos <= 0) {
            return;
        }
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class Chaos {
        private final Random random;
        private final double temp;
        private final double reject;
        private final double disconnect;
        private final ReentrantLock lock = new ReentrantLock();

        Chaos(long seed, double temp, double reject, double disconnect) {
            this.random = new Random(seed);
            this.temp = temp;
            this.reject = reject;
            this.disconnect = disconnect;
        }

        FilterVerdict next() {
            double r;
            lock.lock();
            try {
                r = random.nextDouble();
            } finally {
                lock.unlock();
            }
            if (r < temp) {
                return FilterVerdict.tempFail(451, "4.3.0", "Chaos: temporary failure");
            }
            if (r < temp + reject) {
                return FilterVerdict.reject(554, "5.3.0", "Chaos: message refused");
            }
            if (r < temp + reject + disconnect) {
                return FilterVerdict.disconnect();
            }
            return FilterVerdict.accept();
        }
    }
}
