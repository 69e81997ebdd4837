package dev.mailkit.core.dns;

import java.util.ArrayList;
import java.util.List;

/**
 * The answer to one DNS question: the records of the asked type (none when the name exists without such records:
 * NODATA), or "no such name" (NXDOMAIN). A temporary failure is not an answer: {@link DnsResolver} reports it as a
 * {@link DnsException}. Immutable.
 */
public final class DnsAnswer {
    private static final DnsAnswer NO_SUCH_NAME = new DnsAnswer(List.of(), true);
    private static final DnsAnswer NO_RECORDS = new DnsAnswer(List.of(), false);

    private final List<DnsRecord> records;
    private final boolean noSuchName;

    private DnsAnswer(List<DnsRecord> records, boolean noSuchName) {
        this.records = records;
        this.noSuchName = noSuchName;
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
        return noSuchName ? "NXDOMAIN" : records.toString();
    }
}
