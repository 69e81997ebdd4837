package dev.mailkit.sieve.internal.parse;

/** A lexical or syntax error at a line; parsing stops at the first one, as Pigeonhole's does. */
public final class SieveSyntaxException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int line;

    SieveSyntaxException(int line, String reason) {
        super(reason, null, false, false);
        this.line = line;
    }

    /** The line, from 1. */
    public int line() {
        return line;
    }
}
