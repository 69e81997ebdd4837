package dev.mailkit.sieve.internal.parse;

import java.util.List;
import java.util.Map;

/**
 * A validated command or test: its tagged arguments by name (each with its value, or null for a tag that takes
 * none), its positional arguments, tests and block. Immutable once built.
 *
 * @param name       lower-case identifier
 * @param tags       tag name (without the colon) to its value argument or null
 * @param positional the positional arguments
 * @param tests      the tests (if/elsif, not, allof, anyof)
 * @param block      the block, or null
 * @param line       the line of the identifier
 */
public record Cmd(String name, Map<String, Arg> tags, List<Arg> positional, List<Cmd> tests, List<Cmd> block,
                  int line) {
    /** Whether the tag is present. */
    public boolean has(String tag) {
        return tags.containsKey(tag);
    }

    /** The strings of positional argument {@code i}. */
    public List<String> strings(int i) {
        return ((Arg.Strings) positional.get(i)).values();
    }

    /** The single string of positional argument {@code i}. */
    public String string(int i) {
        return ((Arg.Strings) positional.get(i)).single();
    }

    /** The strings of a tag's value, or null if absent. */
    public List<String> tagStrings(String tag) {
        Arg a = tags.get(tag);
        return a instanceof Arg.Strings s ? s.values() : null;
    }

    /** The single string of a tag's value, or null if absent. */
    public String tagString(String tag) {
        Arg a = tags.get(tag);
        return a instanceof Arg.Strings s ? s.single() : null;
    }

    /** A tag's number, or {@code dflt} if absent. */
    public long tagNumber(String tag, long dflt) {
        Arg a = tags.get(tag);
        return a instanceof Arg.Num n ? n.value() : dflt;
    }
}
