package dev.mailkit.core.dns;

import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The DNS questions mailkit asks (MX and addresses for the relay; TXT, A, AAAA, MX and PTR for SPF, DKIM, DMARC and
 * blocklists), as a service the application can replace. The {@code mailkit-dns} module implements it over real name
 * servers ({@code DnsJavaResolver}) and from memory ({@code StaticDnsResolver}, for tests); a test can also write one
 * as a lambda.
 *
 * <p>Names are asked as given (absolute; a trailing dot is optional), in ASCII. Implementations must be
 * thread-safe, keep their own cache (never a JVM-wide one), and bound each question by their own timeout.
 */
@FunctionalInterface
public interface DnsResolver {
    /**
     * Sends a question and returns at once. The future completes with the answer (records, none, or no such name),
     * or exceptionally with a {@link DnsException} for a temporary failure. A name that is not a valid domain name is
     * answered as one that does not exist.
     */
    CompletableFuture<DnsAnswer> lookup(String name, DnsType type);

    /**
     * Asks and waits at most {@code maxWait} for the answer.
     *
     * @throws DnsException on a temporary failure or when {@code maxWait} passes first
     */
    default DnsAnswer lookup(String name, DnsType type, Duration maxWait) throws DnsException {
        try {
            return lookup(name, type).get(maxWait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | CompletionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            if (c instanceof DnsException d) {
                throw d;
            }
            throw new DnsException("DNS lookup of " + name + " " + type + " failed: " + c, c);
        } catch (TimeoutException e) {
            throw new DnsException("DNS lookup of " + name + " " + type + " timed out after " + maxWait.toMillis()
                    + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            DnsException d = new DnsException("interrupted during the DNS lookup of " + name);
            d.initCause(new InterruptedIOException());
            throw d;
        }
    }
}
