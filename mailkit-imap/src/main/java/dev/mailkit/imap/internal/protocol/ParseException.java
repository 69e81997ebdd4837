package dev.mailkit.imap.internal.protocol;

/**
 * A command the server will not run, with the reply that says why: a tagged {@code BAD} for syntax errors and
 * commands that are unknown or not allowed in the current state, a tagged {@code NO} for well-formed requests the
 * server refuses (a literal over the size limit). {@link #isFatal()} marks the rare case where the connection
 * cannot continue (a non-synchronising literal too big to skip), after which the session says BYE and closes.
 */
public final class ParseException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The kind of tagged reply. */
    public enum Kind { BAD, NO }

    private final Kind kind;
    private final String code;
    private String tag;
    private final boolean fatal;

    private ParseException(Kind kind, String code, String message, boolean fatal) {
        super(message, null, false, false);
        this.kind = kind;
        this.code = code;
        this.fatal = fatal;
    }

    /** A syntax error: tagged BAD. */
    public static ParseException bad(String message) {
        return new ParseException(Kind.BAD, null, message, false);
    }

    /** A tagged BAD with a response code (e.g. {@code CLIENTBUG}, {@code TOOBIG}). */
    public static ParseException bad(String code, String message) {
        return new ParseException(Kind.BAD, code, message, false);
    }

    /** A refusal: tagged NO with an optional response code. */
    public static ParseException no(String code, String message) {
        return new ParseException(Kind.NO, code, message, false);
    }

    /** A refusal after which the connection must be closed. */
    public static ParseException fatal(String code, String message) {
        return new ParseException(Kind.BAD, code, message, true);
    }

    /** BAD or NO. */
    public Kind kind() {
        return kind;
    }

    /** The response code without brackets (e.g. {@code TOOBIG}), or null. */
    public String code() {
        return code;
    }

    /** The command's tag, or null when the line had no valid tag (the reply is then untagged). */
    public String tag() {
        return tag;
    }

    /** Sets the tag if not yet known; returns this. */
    public ParseException withTag(String t) {
        if (tag == null) {
            tag = t;
        }
        return this;
    }

    /** Whether the connection must be closed after the reply. */
    public boolean isFatal() {
        return fatal;
    }
}
