package dev.mailkit.sieve.internal.parse;

import java.util.List;

/** One argument of a command or test: a tag, a number, or a string list (a single string is a list of one). */
public sealed interface Arg {
    /** The line the argument starts on. */
    int line();

    /** {@code :name}. */
    record Tag(String name, int line) implements Arg {
    }

    /** A number, quantifier applied. */
    record Num(long value, int line) implements Arg {
    }

    /**
     * A string or a string list.
     *
     * @param values the strings
     * @param list   whether it was written as a list ({@code ["a"]})
     */
    record Strings(List<String> values, boolean list, int line) implements Arg {
        /** The one string of a single-string argument. */
        public String single() {
            return values.get(0);
        }
    }
}
