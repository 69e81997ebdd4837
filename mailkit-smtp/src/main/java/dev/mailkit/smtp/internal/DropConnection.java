package dev.mailkit.smtp.internal;

/**
 * Thrown by a command to send a last reply and close the connection (as after too many failed AUTHs, or a BDAT
 * whose chunk cannot be skipped): the session loop writes {@code code text} and ends the session.
 */
public final class DropConnection extends Exception {
    private static final long serialVersionUID = 1L;
    private final int code;

    /**
     * @param code the reply code, e.g. 421
     * @param text the rest of the reply: enhanced status code and text
     */
    public DropConnection(int code, String text) {
        super(text, null, false, false);
        this.code = code;
    }

    /** The reply code. */
    public int code() {
        return code;
    }
}
