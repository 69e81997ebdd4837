package dev.mailkit.store;

/**
 * The system flags of RFC 3501 that a store keeps per message. {@code \Recent} is not among them: it is a property of
 * a session, see {@link MailboxView#isRecent(int)}.
 */
public enum SystemFlag {
    /** The message has been read. */
    SEEN("\\Seen"),
    /** The message has been answered. */
    ANSWERED("\\Answered"),
    /** The message is flagged for urgent or special attention. */
    FLAGGED("\\Flagged"),
    /** The message is marked for removal by a later expunge. */
    DELETED("\\Deleted"),
    /** The message is a draft. */
    DRAFT("\\Draft");

    private final String imapName;

    SystemFlag(String imapName) {
        this.imapName = imapName;
    }

    /** The flag as IMAP writes it, for example {@code \Seen}. */
    public String imapName() {
        return imapName;
    }

    /** The bit of this flag in a compact flag word (bit {@code ordinal()}). */
    int bit() {
        return 1 << ordinal();
    }

    /**
     * The system flag for an IMAP name such as {@code \Seen} (case-insensitive), or null if it is not one of these
     * five (for example {@code \Recent} or a keyword).
     */
    public static SystemFlag fromImapName(String name) {
        for (SystemFlag f : values()) {
            if (f.imapName.equalsIgnoreCase(name)) {
                return f;
            }
        }
        return null;
    }
}
