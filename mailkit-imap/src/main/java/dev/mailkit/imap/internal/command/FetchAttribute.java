package dev.mailkit.imap.internal.command;

/** The FETCH data items that take no section (RFC 3501 6.4.5, RFC 7162 MODSEQ, RFC 8970 PREVIEW). */
public enum FetchAttribute implements FetchItem {
    UID("UID"),
    FLAGS("FLAGS"),
    INTERNALDATE("INTERNALDATE"),
    RFC822_SIZE("RFC822.SIZE"),
    ENVELOPE("ENVELOPE"),
    /** BODY without a section: the non-extensible BODYSTRUCTURE. */
    BODY("BODY"),
    BODYSTRUCTURE("BODYSTRUCTURE"),
    MODSEQ("MODSEQ"),
    /** RFC822: the whole message, like BODY[] (sets \Seen). */
    RFC822("RFC822"),
    /** RFC822.HEADER: like BODY.PEEK[HEADER]. */
    RFC822_HEADER("RFC822.HEADER"),
    /** RFC822.TEXT: like BODY[TEXT] (sets \Seen). */
    RFC822_TEXT("RFC822.TEXT"),
    /** PREVIEW (RFC 8970), with or without LAZY: the start of the message's text. */
    PREVIEW("PREVIEW"),
    /** SAVEDATE (RFC 8514). */
    SAVEDATE("SAVEDATE"),
    /** EMAILID (RFC 8474). */
    EMAILID("EMAILID"),
    /** THREADID (RFC 8474). */
    THREADID("THREADID");

    private final String imapName;

    FetchAttribute(String imapName) {
        this.imapName = imapName;
    }

    /** The name in FETCH responses. */
    public String imapName() {
        return imapName;
    }
}
