package dev.mailkit.sieve.internal.parse;

/**
 * An error or warning about a script, worded as Pigeonhole's {@code sievec} words it.
 *
 * @param line   the line, from 1 (0 for the script as a whole)
 * @param error  whether it is an error (a warning does not stop the script)
 * @param reason the reason, without the trailing full stop
 */
public record Diagnostic(int line, boolean error, String reason) {
    /** {@code line 3: error: unknown command 'foo' (only reported once at first occurrence).} */
    public String format() {
        return (line > 0 ? "line " + line + ": " : "") + (error ? "error: " : "warning: ") + reason + ".";
    }
}
