package dev.mailkit.store;

/**
 * How much metadata (RFC 5464 annotations) one account may keep, across the server entries and all its mailboxes'
 * entries, private and shared together. Immutable.
 *
 * @param maxEntries    the most entries an account may have (default {@value #DEFAULT_MAX_ENTRIES}); IMAP answers
 *                      {@code NO [METADATA TOOMANY]} to a SETMETADATA that would go over it
 * @param maxValueBytes the largest value of one entry, in octets (default {@value #DEFAULT_MAX_VALUE_BYTES}); IMAP
 *                      answers {@code NO [METADATA MAXSIZE n]}
 * @param maxTotalBytes the most octets all of an account's values (and entry names) may add up to (default
 *                      {@value #DEFAULT_MAX_TOTAL_BYTES}); IMAP answers {@code NO [METADATA TOOMANY]}
 */
public record MetadataLimits(int maxEntries, int maxValueBytes, long maxTotalBytes) {
    /** The default for {@link #maxEntries()}. */
    public static final int DEFAULT_MAX_ENTRIES = 1000;
    /** The default for {@link #maxValueBytes()}. */
    public static final int DEFAULT_MAX_VALUE_BYTES = 64 * 1024;
    /** The default for {@link #maxTotalBytes()}. */
    public static final long DEFAULT_MAX_TOTAL_BYTES = 1024 * 1024;
    /** The defaults. */
    public static final MetadataLimits DEFAULT = new MetadataLimits(DEFAULT_MAX_ENTRIES, DEFAULT_MAX_VALUE_BYTES,
            DEFAULT_MAX_TOTAL_BYTES);

    /** Validates. @throws IllegalArgumentException for a negative limit */
    public MetadataLimits {
        if (maxEntries < 0 || maxValueBytes < 0 || maxTotalBytes < 0) {
            throw new IllegalArgumentException("metadata limits must not be negative: entries " + maxEntries
                    + ", value bytes " + maxValueBytes + ", total bytes " + maxTotalBytes);
        }
    }
}
