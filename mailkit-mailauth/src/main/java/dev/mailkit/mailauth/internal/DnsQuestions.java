package dev.mailkit.mailauth.internal;

import dev.mailkit.core.Arguments;
import dev.mailkit.core.dns.DnsAnswer;
import dev.mailkit.core.dns.DnsException;
import dev.mailkit.core.dns.DnsResolver;
import dev.mailkit.core.dns.DnsType;
import dev.mailkit.dns.DnsJavaResolver;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The DNS questions of the sender-authentication checks (blocklists, SPF, DKIM keys, DMARC policies): a
 * {@link DnsResolver} and how long to wait for each answer. Each check's builder fills in a {@link Settings}; the
 * check asks through the result. Thread-safe.
 */
public final class DnsQuestions {
    private final DnsResolver resolver;
    private final Duration timeout;

    private DnsQuestions(DnsResolver resolver, Duration timeout) {
        this.resolver = resolver;
        this.timeout = timeout;
    }

    /** The DNS part of a check's builder: a resolver, or name servers to ask, and the timeout per question. */
    public static final class Settings {
        private DnsResolver resolver;
        private InetSocketAddress[] servers;
        private Duration timeout;

        /** Settings with this default timeout per question. */
        public Settings(Duration defaultTimeout) {
            this.timeout = defaultTimeout;
        }

        /** Asks through this resolver. */
        public void resolver(DnsResolver r) {
            this.resolver = Objects.requireNonNull(r, "resolver");
            this.servers = null;
        }

        /**
         * Asks these name servers.
         *
         * @throws IllegalArgumentException if none is given
         */
        public void servers(InetSocketAddress... s) {
            if (s.length == 0) {
                throw new IllegalArgumentException("name at least one DNS server, e.g. "
                        + "new InetSocketAddress(\"127.0.0.1\", 53)");
            }
            this.servers = s.clone();
            this.resolver = null;
        }

        /** The longest wait for one answer. */
        public void timeout(Duration d) {
            this.timeout = Arguments.positive(d, "timeout");
        }

        /** The questions: through the resolver, the servers, or the operating system's name servers. */
        public DnsQuestions build() {
            DnsResolver r = resolver;
            if (r == null) {
                r = servers != null ? DnsJavaResolver.using(timeout, servers) : DnsJavaResolver.system(timeout);
            }
            return new DnsQuestions(r, timeout);
        }
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
