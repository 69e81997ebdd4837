package dev.mailkit.store;

/**
 * A metadata change went over one of the account's {@link MetadataLimits}; nothing was changed. IMAP answers
 * {@code NO [METADATA MAXSIZE n]} for {@link Kind#TOO_BIG} and {@code NO [METADATA TOOMANY]} for
 * {@link Kind#TOO_MANY}. Immutable.
 */
public final class MetadataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Which limit it was. */
    public enum Kind {
        /** One value is larger than {@link MetadataLimits#maxValueBytes()}. */
        TOO_BIG,
        /** The account would have more entries, or more octets in all, than its limits allow. */
        TOO_MANY
    }

    private final Kind kind;
    private final long maxSize;

    /**
     * @param maxSize for {@link Kind#TOO_BIG}, the largest value allowed; otherwise 0
     */
    public MetadataException(Kind kind, long maxSize, String message) {
        super(message);
        this.kind = kind;
        this.maxSize = maxSize;
    }

    /** Which limit it was. */
    public Kind kind() {
        return kind;
    }

    /** For {@link Kind#TOO_BIG}: the largest value allowed, in octets. */
    public long maxSize() {
        return maxSize;
    }
}
