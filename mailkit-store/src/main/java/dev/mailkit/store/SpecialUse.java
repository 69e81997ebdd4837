package dev.mailkit.store;

/**
 * The special uses of a mailbox (RFC 6154), which clients use to find the Sent, Drafts, Trash ... folders whatever
 * their names are.
 */
public enum SpecialUse {
    /** All messages (a virtual mailbox). */
    ALL("\\All"),
    /** Archived messages. */
    ARCHIVE("\\Archive"),
    /** Drafts. */
    DRAFTS("\\Drafts"),
    /** Flagged messages (a virtual mailbox). */
    FLAGGED("\\Flagged"),
    /** Junk mail. */
    JUNK("\\Junk"),
    /** Sent mail. */
    SENT("\\Sent"),
    /** Deleted messages. */
    TRASH("\\Trash");

    private final String attribute;

    SpecialUse(String attribute) {
        this.attribute = attribute;
    }

    /** The IMAP mailbox attribute, for example {@code \Sent}. */
    public String attribute() {
        return attribute;
    }

    /**
     * The special use for an IMAP attribute such as {@code \Sent} (case-insensitive).
     *
     * @throws IllegalArgumentException if the attribute is not a special-use attribute
     */
    public static SpecialUse fromAttribute(String attribute) {
        for (SpecialUse u : values()) {
            if (u.attribute.equalsIgnoreCase(attribute)) {
                return u;
            }
        }
        throw new IllegalArgumentException("not a special-use attribute: " + attribute
                + " (expected one of \\All \\Archive \\Drafts \\Flagged \\Junk \\Sent \\Trash)");
    }
}
