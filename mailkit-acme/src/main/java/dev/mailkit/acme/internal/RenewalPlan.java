package dev.mailkit.acme.internal;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * When to renew and when to try again: a certificate is renewed once {@code remaining} of its lifetime is left
 * (a third by default, as Let's Encrypt advises: day 60 of 90), at once if it does not name every configured domain;
 * a failed attempt is tried again after {@code firstRetry}, doubling each time up to {@code maxRetry}. Immutable.
 */
public record RenewalPlan(double remaining, Duration firstRetry, Duration maxRetry) {
    /** The smallest wait between two attempts, so a certificate shorter-lived than the schedule cannot spin. */
    static final Duration MIN_WAIT = Duration.ofSeconds(1);

    /** When the certificate is due for renewal. */
    public Instant renewAt(X509Certificate c, List<String> domains) {
        if (!names(c).containsAll(lower(domains))) {
            return Instant.EPOCH;
        }
        Instant from = c.getNotBefore().toInstant();
        Instant to = c.getNotAfter().toInstant();
        long lifetime = Duration.between(from, to).toMillis();
        return to.minusMillis((long) (lifetime * remaining));
    }

    /** The wait after the {@code failures}-th failure in a row. */
    public Duration retryDelay(int failures) {
        Duration d = firstRetry;
        for (int i = 1; i < failures && d.compareTo(maxRetry) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(maxRetry) > 0 ? maxRetry : d;
    }

    /** The wait from now until {@code at}, at least {@link #MIN_WAIT}. */
    static Duration until(Instant now, Instant at) {
        Duration d = Duration.between(now, at);
        return d.compareTo(MIN_WAIT) < 0 ? MIN_WAIT : d;
    }

    private static Set<String> names(X509Certificate c) {
        Set<String> out = new HashSet<>();
        try {
            Collection<List<?>> sans = c.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (Integer.valueOf(2).equals(san.get(0))) {
                        out.add(String.valueOf(san.get(1)).toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // no names: renewed at once
        }
        return out;
    }

    private static Set<String> lower(List<String> domains) {
        Set<String> out = new HashSet<>();
        for (String d : domains) {
            out.add(d.toLowerCase(Locale.ROOT));
        }
        return out;
    }
}
