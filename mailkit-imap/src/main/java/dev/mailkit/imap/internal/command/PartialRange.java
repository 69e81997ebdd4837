package dev.mailkit.imap.internal.command;

/**
 * RFC 5267's {@code PARTIAL first:last}: the positions (from 1, in the result's order) of the results to return.
 * A reversed range is turned around, as Dovecot does.
 */
public record PartialRange(long first, long last) {
    public PartialRange {
        if (first < 1 || last < 1) {
            throw new IllegalArgumentException("PARTIAL positions start at 1");
        }
        if (first > last) {
            long t = first;
            first = last;
            last = t;
        }
    }

    @Override
    public String toString() {
        return first + ":" + last;
    }
}
