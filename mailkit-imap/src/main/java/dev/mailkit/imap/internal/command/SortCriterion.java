package dev.mailkit.imap.internal.command;

/** One SORT criterion (RFC 5256, DISPLAYFROM/DISPLAYTO RFC 5957), ascending unless {@code reverse}. */
public record SortCriterion(Key key, boolean reverse) {
    /** What is compared. */
    public enum Key { ARRIVAL, CC, DATE, FROM, SIZE, SUBJECT, TO, DISPLAYFROM, DISPLAYTO }
}
