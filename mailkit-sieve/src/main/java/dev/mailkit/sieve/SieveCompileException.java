package dev.mailkit.sieve;

import java.util.List;

/**
 * A script that cannot run: the errors with their lines and reasons, worded as Pigeonhole's {@code sievec} words
 * them ({@code vacation: line 3: error: unknown command 'fileinot' (only reported once at first occurrence).}).
 */
public final class SieveCompileException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * One error.
     *
     * @param script the script's name
     * @param line   the line, from 1 (0: the script as a whole)
     * @param reason the reason, without a trailing full stop
     */
    public record Error(String script, int line, String reason) {
        /** As {@code sievec} prints it. */
        @Override
        public String toString() {
            return script + ": " + (line > 0 ? "line " + line + ": " : "") + "error: " + reason + ".";
        }
    }

    private final transient List<Error> errors;

    /** An exception for the errors (at least one). */
    public SieveCompileException(List<Error> errors) {
        super(format(errors), null, false, false);
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("no error");
        }
        this.errors = List.copyOf(errors);
    }

    private static String format(List<Error> errors) {
        StringBuilder b = new StringBuilder();
        for (Error e : errors) {
            b.append(b.length() == 0 ? "" : "\n").append(e);
        }
        return b.toString();
    }

    /** The errors, in the order found. */
    public List<Error> errors() {
        return errors;
    }

    /** The line of the first error. */
    public int line() {
        return errors.get(0).line();
    }

    /** The reason of the first error. */
    public String reason() {
        return errors.get(0).reason();
    }
}
