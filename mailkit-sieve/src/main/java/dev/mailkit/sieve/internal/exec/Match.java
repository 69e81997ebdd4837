package dev.mailkit.sieve.internal.exec;

import dev.mailkit.sieve.internal.parse.Cmd;

import java.util.List;
import java.util.Locale;

/**
 * A test's match type and comparator (RFC 5228 2.7, RFC 5231 relational): applied to the values a test extracted
 * and the keys it was given. {@code :matches} sets the match variables of the first value and key that match.
 * Immutable apart from the variables it writes to.
 */
public final class Match {
    enum Type { IS, CONTAINS, MATCHES, COUNT, VALUE }

    private final Type type;
    private final Comparator comparator;
    private final String relation;

    private Match(Type type, Comparator comparator, String relation) {
        this.type = type;
        this.comparator = comparator;
        this.relation = relation;
    }

    /** The match of a test: its tags, with a default comparator ({@code i;ascii-casemap} or, for spamtest, numeric). */
    public static Match of(Cmd c, boolean numericDefault) {
        Comparator cmp = Comparator.named(c.tagString("comparator"),
                numericDefault ? Comparator.ASCII_NUMERIC : Comparator.ASCII_CASEMAP);
        if (c.has("contains")) {
            return new Match(Type.CONTAINS, cmp, null);
        }
        if (c.has("matches")) {
            return new Match(Type.MATCHES, cmp, null);
        }
        if (c.has("count")) {
            return new Match(Type.COUNT, cmp, c.tagString("count").toLowerCase(Locale.ROOT));
        }
        if (c.has("value")) {
            return new Match(Type.VALUE, cmp, c.tagString("value").toLowerCase(Locale.ROOT));
        }
        return new Match(Type.IS, cmp, null);
    }

    /** Whether this is {@code :count} (which counts values instead of comparing them). */
    public boolean counts() {
        return type == Type.COUNT;
    }

    /**
     * Whether any value matches any key (for {@code :count}: whether the number of values relates to a key).
     *
     * @param vars where {@code :matches} writes its match variables (null: nowhere)
     */
    public boolean test(List<String> values, List<String> keys, Variables vars) {
        if (type == Type.COUNT) {
            String n = Integer.toString(values.size());
            for (String k : keys) {
                if (relate(comparator.compare(n, k))) {
                    return true;
                }
            }
            return false;
        }
        for (String v : values) {
            for (String k : keys) {
                if (one(v, k, vars)) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean one(String value, String key, Variables vars) {
        return switch (type) {
            case IS -> comparator.equal(value, key);
            case CONTAINS -> comparator.contains(value, key);
            case MATCHES -> {
                List<String> groups = Wildcard.match(value, key, comparator);
                if (groups != null && vars != null) {
                    vars.matched(groups);
                }
                yield groups != null;
            }
            case VALUE -> relate(comparator.compare(value, key));
            default -> false;
        };
    }

    private boolean relate(int c) {
        return switch (relation) {
            case "gt" -> c > 0;
            case "ge" -> c >= 0;
            case "lt" -> c < 0;
            case "le" -> c <= 0;
            case "eq" -> c == 0;
            default -> c != 0;
        };
    }
}
