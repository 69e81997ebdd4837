package dev.mailkit.mailauth.internal;

import dev.mailkit.core.dns.DnsAnswer;
import dev.mailkit.core.dns.DnsException;
import dev.mailkit.core.dns.DnsResolver;
import dev.mailkit.core.dns.DnsType;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The DNS questions of the sender-authentication checks (blocklists, SPF, DKIM keys, DMARC policies): a
 * {@link DnsResolver} and how long to wait for each answer, from the check's {@code DnsCheckBuilder}. Thread-safe.
 */
public final class DnsQuestions {
    private final DnsResolver resolver;
    private final Duration timeout;

    private DnsQuestions(DnsResolver resolver, Duration timeout) {
        this.resolver = resolver;
        this.timeout = timeout;
    }

    /** The questions of one check: through {@code resolver}, each waiting at most {@code timeout}. */
    public static DnsQuestions of(DnsResolver resolver, Duration timeout) {
        return new DnsQuestions(resolver, timeout);
    }

    /**
     * Asks and waits at most the timeout (or {@code maxWait}, if shorter).
     *
     * @throws DnsException on a temporary failure
     */
    public DnsAnswer ask(String name, DnsType type, Duration maxWait) throws DnsException {
        return resolver.lookup(name, type, maxWait.compareTo(timeout) < 0 ? maxWait : timeout);
    }

    /** {@link #ask(String, DnsType, Duration)} with the timeout as the only bound. */
    public DnsAnswer ask(String name, DnsType type) throws DnsException {
        return resolver.lookup(name, type, timeout);
    }

    /** Sends the question and returns at once. */
    public CompletableFuture<DnsAnswer> askAsync(String name, DnsType type) {
        return resolver.lookup(name, type);
    }
}
