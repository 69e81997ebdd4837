package dev.mailkit.store;

/**
 * The limits of one account: total octets and total messages over all its mailboxes (RFC 9208 STORAGE and
 * MESSAGE resources). {@link #UNLIMITED_VALUE} means no limit.
 *
 * @param maxBytes    the most octets the account may hold
 * @param maxMessages the most messages the account may hold
 */
public record QuotaLimits(long maxBytes, long maxMessages) {
    /** The value that means "no limit". */
    public static final long UNLIMITED_VALUE = Long.MAX_VALUE;

    /** No limits at all. */
    public static final QuotaLimits UNLIMITED = new QuotaLimits(UNLIMITED_VALUE, UNLIMITED_VALUE);

    /** Validates. */
    public QuotaLimits {
        if (maxBytes < 0 || maxMessages < 0) {
            throw new IllegalArgumentException("quota limits must be >= 0 (use QuotaLimits.UNLIMITED_VALUE for none), was "
                    + maxBytes + " bytes, " + maxMessages + " messages");
        }
    }

    /** A limit on octets only. */
    public static QuotaLimits ofBytes(long maxBytes) {
        return new QuotaLimits(maxBytes, UNLIMITED_VALUE);
    }

    /** Whether either resource is limited. */
    public boolean isLimited() {
        return maxBytes != UNLIMITED_VALUE || maxMessages != UNLIMITED_VALUE;
    }
}
