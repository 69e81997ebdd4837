package dev.mailkit.core.dns;

import java.util.ArrayList;
import java.util.List;

/**
 * The answer to one DNS question: the records of the asked type (none when the name exists without such records:
 * NODATA), or "no such name" (NXDOMAIN). A temporary failure is not an answer: {@link DnsResolver} reports it as a
 * {@link DnsException}. An answer may be marked DNSSEC-authenticated ({@link #isAuthenticated()}): a validating
 * resolver the application trusts set the AD bit on it (RFC 4035 3.2.3, RFC 6840 5.8); DANE (RFC 7672) uses only
 * such answers. Immutable.
 */
public final class DnsAnswer {
    private static final DnsAnswer NO_SUCH_NAME = new DnsAnswer(List.of(), true);
    private static final DnsAnswer NO_RECORDS = new DnsAnswer(List.of(), false);

    private final List<DnsRecord> records;
    private final boolean noSuchName;
    private final boolean authenticated;

    private DnsAnswer(List<DnsRecord> records, boolean noSuchName) {
        this(records, noSuchName, false);
    }

    private DnsAnswer(List<DnsRecord> records, boolean noSuchName, boolean authenticated) {
        this.records = records;
        this.noSuchName = noSuchName;
        this.authenticated = authenticated;
    }

    /** The same answer marked as DNSSEC-authenticated by a trusted validating resolver (the AD bit). */
    public DnsAnswer authenticated() {
        return new DnsAnswer(records, noSuchName, true);
    }

    /**
     * Whether a trusted validating resolver vouched for this answer (the AD bit): false unless the resolver was
     * configured to trust one (for example {@code DnsJavaResolver.validating(...)}).
     */
    public boolean isAuthenticated() {
        return authenticated;
    }

    /** An answer with these records (an empty list: the name exists without records of the type). */
    public static DnsAnswer of(List<? extends DnsRecord> records) {
        return records.isEmpty() ? NO_RECORDS : new DnsAnswer(List.copyOf(records), false);
    }

    /** The name does not exist (NXDOMAIN). */
    public static DnsAnswer noSuchName() {
        return NO_SUCH_NAME;
    }

    /** The records; empty for NODATA and for NXDOMAIN. */
    public List<DnsRecord> records() {
        return records;
    }

    /** The records of one kind, for example {@code answer.records(DnsRecord.Txt.class)}. */
    public <T extends DnsRecord> List<T> records(Class<T> kind) {
        List<T> out = new ArrayList<>(records.size());
        for (DnsRecord r : records) {
            if (kind.isInstance(r)) {
                out.add(kind.cast(r));
            }
        }
        return out;
    }

    /** Whether the name does not exist (NXDOMAIN). */
    public boolean isNoSuchName() {
        return noSuchName;
    }

    @Override
    public String toString() {
        return (noSuchName ? "NXDOMAIN" : records.toString()) + (authenticated ? " (authenticated)" : "");
    }
}
