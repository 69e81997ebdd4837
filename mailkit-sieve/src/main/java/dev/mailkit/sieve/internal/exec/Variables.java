package dev.mailkit.sieve.internal.exec;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The variables of one script run (RFC 5229): a scope per script (names are case-insensitive), the global scope
 * that {@code global} shares between included scripts (RFC 6609 3.3), and the match variables of the last
 * successful {@code :matches}. Values are bounded ({@value #MAX_VALUE} characters, as Pigeonhole's default) and so
 * is their number. Not thread-safe.
 */
public final class Variables {
    /** The longest value kept; longer ones are cut. */
    public static final int MAX_VALUE = 4096;
    /** The most variables of one scope. */
    public static final int MAX_VARIABLES = 255;

    private final Map<String, String> global;
    private final Map<String, String> local = new HashMap<>();
    private final Set<String> globalNames = new java.util.HashSet<>();
    private final boolean enabled;
    private List<String> match = List.of();

    /**
     * A scope over the shared global variables.
     *
     * @param enabled whether the script requires "variables" (otherwise strings are never expanded)
     */
    public Variables(Map<String, String> global, boolean enabled) {
        this.global = global;
        this.enabled = enabled;
    }

    /** Declares names as global in this scope. */
    public void declareGlobal(List<String> names) {
        for (String n : names) {
            globalNames.add(n.toLowerCase(Locale.ROOT));
        }
    }

    private Map<String, String> scope(String key) {
        return globalNames.contains(key) ? global : local;
    }

    /** Sets a variable (cut to {@link #MAX_VALUE}); false if the scope is full. */
    public boolean set(String name, String value) {
        String key = name.toLowerCase(Locale.ROOT);
        Map<String, String> s = scope(key);
        if (!s.containsKey(key) && s.size() >= MAX_VARIABLES) {
            return false;
        }
        s.put(key, cut(value));
        return true;
    }

    /** A variable's value ("" if unset). */
    public String get(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        return scope(key).getOrDefault(key, "");
    }

    static String cut(String v) {
        if (v.length() <= MAX_VALUE) {
            return v;
        }
        int end = MAX_VALUE;
        if (Character.isHighSurrogate(v.charAt(end - 1))) {
            end--;
        }
        return v.substring(0, end);
    }

    /** Replaces the match variables (after a successful :matches). */
    public void matched(List<String> groups) {
        this.match = List.copyOf(groups);
    }

    /**
     * Expands {@code ${name}} and {@code ${N}} in a string (RFC 5229 3): unknown variables are empty; text that is
     * not a valid reference stays as it is. The result is bounded by the length of the input plus the variables'
     * bounded values, and itself cut at {@code 4 * MAX_VALUE + input}.
     */
    public String expand(String s) {
        if (!enabled || s.indexOf("${") < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        int limit = s.length() + 16 * MAX_VALUE;
        while (i < s.length()) {
            int open = s.indexOf("${", i);
            if (open < 0) {
                out.append(s, i, s.length());
                break;
            }
            out.append(s, i, open);
            int close = s.indexOf('}', open + 2);
            if (close < 0) {
                out.append(s, open, s.length());
                break;
            }
            String name = s.substring(open + 2, close);
            String value = reference(name);
            if (value == null) {
                out.append("${");
                i = open + 2;
                continue;
            }
            out.append(value);
            if (out.length() > limit) {
                out.setLength(limit);
                break;
            }
            i = close + 1;
        }
        return out.toString();
    }

    /** The value of a reference, or null if it is not a valid one. */
    private String reference(String name) {
        if (name.isEmpty()) {
            return null;
        }
        if (Character.isDigit(name.charAt(0))) {
            for (int k = 0; k < name.length(); k++) {
                if (!Character.isDigit(name.charAt(k)) || name.charAt(k) > '9') {
                    return null;
                }
            }
            if (name.length() > 6) {
                return "";
            }
            int n = Integer.parseInt(name);
            return n < match.size() ? match.get(n) : "";
        }
        if (!dev.mailkit.sieve.internal.parse.Validator.isIdentifier(name)) {
            return null;
        }
        return get(name);
    }

    /**
     * Applies {@code set}'s modifiers (RFC 5229 4.1) in order of precedence: :lower/:upper, then
     * :lowerfirst/:upperfirst, then :quotewildcard, then :length.
     */
    public static String modify(String value, Set<String> modifiers) {
        String v = value;
        if (modifiers.contains("lower")) {
            v = asciiLower(v);
        } else if (modifiers.contains("upper")) {
            v = asciiUpper(v);
        }
        if (!v.isEmpty() && modifiers.contains("lowerfirst")) {
            v = asciiLower(v.substring(0, 1)) + v.substring(1);
        } else if (!v.isEmpty() && modifiers.contains("upperfirst")) {
            v = asciiUpper(v.substring(0, 1)) + v.substring(1);
        }
        if (modifiers.contains("quotewildcard")) {
            StringBuilder b = new StringBuilder();
            for (char c : v.toCharArray()) {
                if (c == '*' || c == '?' || c == '\\') {
                    b.append('\\');
                }
                b.append(c);
            }
            v = b.toString();
        }
        if (modifiers.contains("length")) {
            v = Integer.toString(v.codePointCount(0, v.length()));
        }
        return v;
    }

    private static String asciiLower(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            b.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
        }
        return b.toString();
    }

    private static String asciiUpper(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            b.append(c >= 'a' && c <= 'z' ? (char) (c - 32) : c);
        }
        return b.toString();
    }
}
