package dev.mailkit.pop3.internal;

/**
 * A command line that cannot be parsed. The message is the text of the {@code -ERR} reply: written by mailkit, it
 * never repeats what the client sent.
 */
public final class ParseException extends Exception {
    private static final long serialVersionUID = 1L;

    public ParseException(String message) {
        super(message, null, false, false);
    }
}
