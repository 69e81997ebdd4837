package dev.mailkit.smtp.internal;

import org.xbill.DNS.Cache;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Name;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.lookup.LookupResult;
import org.xbill.DNS.lookup.LookupSession;
import org.xbill.DNS.lookup.NoSuchDomainException;
import org.xbill.DNS.lookup.NoSuchRRSetException;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * DNS questions for the inbound filters (blocklists, SPF, DKIM keys, DMARC policies) through dnsjava: one
 * {@link LookupSession} with its own answer cache (never dnsjava's JVM-wide defaults), a timeout per question, and
 * answers sorted into what the filters tell apart: records (possibly none), no such name, and a temporary failure.
 * Thread-safe.
 */
public final class DnsQuestions {
    private final LookupSession session;
    private final Duration timeout;

    private DnsQuestions(Resolver resolver, Duration timeout) {
        Resolver r = resolver != null ? resolver : new ExtendedResolver();
        r.setTimeout(timeout);
        this.session = LookupSession.builder().resolver(r).cache(new Cache(DClass.IN)).executor(Runnable::run)
                .clearSearchPath().ndots(1).build();
        this.timeout = timeout;
    }

    /** Questions through {@code resolver} (null: the operating system's name servers), {@code timeout} each. */
    public static DnsQuestions of(Resolver resolver, Duration timeout) {
        return new DnsQuestions(resolver, positive(timeout, "timeout"));
    }

    /**
     * A resolver asking the given servers and nothing else.
     *
     * @throws IllegalArgumentException if no server is given
     */
    public static Resolver servers(InetSocketAddress... servers) {
        if (servers.length == 0) {
            throw new IllegalArgumentException("name at least one DNS server, e.g. "
                    + "new InetSocketAddress(\"127.0.0.1\", 53)");
        }
        List<Resolver> rs = new ArrayList<>();
        for (InetSocketAddress s : servers) {
            rs.add(new SimpleResolver(Objects.requireNonNull(s, "server")));
        }
        return rs.size() == 1 ? rs.get(0) : new ExtendedResolver(rs);
    }

    /**
     * A positive duration.
     *
     * @throws IllegalArgumentException if it is zero or negative
     */
    public static Duration positive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, was " + d);
        }
        return d;
    }

    /** An answer: the records of the asked type (none for NODATA), or no such name. */
    public static final class Answer {
        private final List<org.xbill.DNS.Record> records;
        private final boolean noSuchName;

        Answer(List<org.xbill.DNS.Record> records, boolean noSuchName) {
            this.records = records;
            this.noSuchName = noSuchName;
        }

        /** The records of the asked type; empty if there are none or the name does not exist. */
        public List<org.xbill.DNS.Record> records() {
            return records;
        }

        /** Whether the name does not exist (NXDOMAIN). */
        public boolean noSuchName() {
            return noSuchName;
        }
    }

    /** A temporary failure: no answer in time, SERVFAIL, a network error. */
    public static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        Failure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Asks for the records of a type, waiting at most the timeout per question and at most {@code maxWait}.
     *
     * @throws Failure on a temporary failure (or a name that is not a domain name: asked as none exists)
     */
    public Answer ask(String name, int type, Duration maxWait) throws Failure {
        try {
            return askAsync(name, type).get(Math.min(timeout.toNanos() + 1_000_000_000L, maxWait.toNanos()),
                    TimeUnit.NANOSECONDS);
        } catch (ExecutionException | CompletionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            throw new Failure("DNS lookup of " + name + " " + Type.string(type) + " failed: " + c, c);
        } catch (TimeoutException e) {
            throw new Failure("DNS lookup of " + name + " " + Type.string(type) + " timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted during the DNS lookup of " + name, e);
        }
    }

    /** {@link #ask(String, int, Duration)} without a bound beyond the timeout per question. */
    public Answer ask(String name, int type) throws Failure {
        return ask(name, type, timeout.plusSeconds(1));
    }

    /**
     * Sends the question and returns at once; the future completes with the answer, or exceptionally with the DNS
     * failure.
     */
    public CompletableFuture<Answer> askAsync(String name, int type) {
        Name n;
        try {
            n = Name.fromString(name.endsWith(".") ? name : name + ".");
        } catch (TextParseException e) {
            return CompletableFuture.completedFuture(new Answer(Collections.emptyList(), true));
        }
        return session.lookupAsync(n, type).toCompletableFuture().handle((LookupResult r, Throwable failure) -> {
            if (failure != null) {
                Throwable c = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                if (c instanceof NoSuchDomainException) {
                    return new Answer(Collections.emptyList(), true);
                }
                if (c instanceof NoSuchRRSetException) {
                    return new Answer(Collections.emptyList(), false);
                }
                throw new CompletionException(c);
            }
            List<org.xbill.DNS.Record> out = new ArrayList<>();
            for (org.xbill.DNS.Record rec : r.getRecords()) {
                if (rec.getType() == type) {
                    out.add(rec);
                }
            }
            return new Answer(out, false);
        });
    }

    /** The text of a TXT record: its character strings joined, byte for byte (ISO-8859-1). */
    public static String text(TXTRecord txt) {
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (byte[] s : txt.getStringsAsByteArrays()) {
            joined.writeBytes(s);
        }
        return joined.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
