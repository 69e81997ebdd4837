package dev.mailkit.sieve.internal.parse;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Checks a parsed script against the {@link Grammar} and the script's {@code require}s, and turns it into
 * {@link Cmd}s: errors and warnings are worded as Pigeonhole's {@code sievec} words them, each unknown command or
 * tag reported once. One per script; not thread-safe.
 */
public final class Validator {
    /** After this many errors the rest are not reported (Pigeonhole stops at about as many). */
    static final int MAX_ERRORS = 10;
    private static final Set<String> RELATIONAL = Set.of("gt", "ge", "lt", "le", "eq", "ne");
    private static final Set<String> DATE_PARTS = Set.of("year", "month", "day", "date", "julian", "hour",
            "minute", "second", "time", "iso8601", "std11", "zone", "weekday");

    /** A validated script: its commands, capabilities and the scripts it includes. */
    public record Program(List<Cmd> commands, Set<String> capabilities, List<Cmd> includes,
                          List<Diagnostic> diagnostics) {
        /** Whether there is an error among the diagnostics. */
        public boolean failed() {
            for (Diagnostic d : diagnostics) {
                if (d.error()) {
                    return true;
                }
            }
            return false;
        }
    }

    private final Set<String> capabilities = new LinkedHashSet<>();
    private final List<Diagnostic> diagnostics = new ArrayList<>();
    private final Set<String> reported = new HashSet<>();
    private final List<Cmd> includes = new ArrayList<>();
    private int errors;

    private Validator() {
    }

    /** Validates parsed commands. */
    public static Program validate(List<Node> nodes) {
        Validator v = new Validator();
        List<Cmd> out = v.block(nodes, true);
        return new Program(out, Set.copyOf(v.capabilities), List.copyOf(v.includes), List.copyOf(v.diagnostics));
    }

    private void error(int line, String reason) {
        if (++errors <= MAX_ERRORS) {
            diagnostics.add(new Diagnostic(line, true, reason));
        }
    }

    private void warning(int line, String reason) {
        diagnostics.add(new Diagnostic(line, false, reason));
    }

    private List<Cmd> block(List<Node> nodes, boolean top) {
        List<Cmd> out = new ArrayList<>();
        boolean requiresAllowed = top;
        String previous = null;
        for (Node n : nodes) {
            if (n.name().equals("require")) {
                if (!requiresAllowed) {
                    error(n.line(), "require commands can only be placed at top level at the beginning of the file");
                } else {
                    require(n);
                }
                previous = n.name();
                continue;
            }
            requiresAllowed = false;
            if ((n.name().equals("elsif") || n.name().equals("else"))
                    && !("if".equals(previous) || "elsif".equals(previous))) {
                error(n.line(), "the " + n.name() + " command must follow an if or elseif command");
            }
            Cmd c = command(n);
            if (c != null) {
                out.add(c);
            }
            previous = n.name();
        }
        return List.copyOf(out);
    }

    private void require(Node n) {
        if (n.args().size() != 1 || !(n.args().get(0) instanceof Arg.Strings s)) {
            error(n.line(), "the require command requires 1 positional argument(s), but " + n.args().size()
                    + " is/are specified");
            return;
        }
        for (String cap : s.values()) {
            if (Grammar.CAPABILITIES.contains(cap)) {
                capabilities.add(cap);
            } else {
                error(n.line(), "require command: unknown Sieve capability `" + cap + "'");
            }
        }
    }

    private boolean enabled(String ext) {
        if (ext == null) {
            return true;
        }
        if (ext.equals("spamtest")) {
            return capabilities.contains("spamtest") || capabilities.contains("spamtestplus");
        }
        return capabilities.contains(ext);
    }

    private Cmd command(Node n) {
        Grammar.Spec spec = Grammar.command(n.name());
        if (spec == null || !enabled(spec.ext())) {
            if (Grammar.test(n.name()) != null && enabled(Grammar.test(n.name()).ext())) {
                error(n.line(), "attempted to use test '" + n.name() + "' as command");
            } else if (reported.add("command " + n.name())) {
                error(n.line(), "unknown command '" + n.name() + "' (only reported once at first occurrence)");
            }
            return null;
        }
        Cmd c = build(spec, n, "command");
        if (c == null) {
            return null;
        }
        if (spec.block() && n.block() == null) {
            error(n.line(), "the " + n.name() + " command requires a command block, but it is missing");
            for (Node t : n.tests()) {
                error(t.line(), "missing semicolon ';' after " + t.name() + " test");
            }
            return null;
        }
        if (!spec.block() && n.block() != null) {
            error(n.line(), "the " + n.name() + " command does not accept a command block, but one is specified "
                    + "anyway");
            return null;
        }
        List<Cmd> block = n.block() == null ? null : block(n.block(), false);
        Cmd out = new Cmd(c.name(), c.tags(), c.positional(), c.tests(), block, c.line());
        check(out);
        if (out.name().equals("include")) {
            includes.add(out);
        }
        return out;
    }

    private Cmd test(Node n) {
        Grammar.Spec spec = Grammar.test(n.name());
        if (spec == null || !enabled(spec.ext())) {
            if (Grammar.command(n.name()) != null) {
                error(n.line(), "attempted to use command '" + n.name() + "' as test");
            } else if (reported.add("test " + n.name())) {
                error(n.line(), "unknown test '" + n.name() + "' (only reported once at first occurrence)");
            }
            return null;
        }
        Cmd c = build(spec, n, "test");
        if (c != null) {
            check(c);
        }
        return c;
    }

    /** Sorts the arguments into tags and positional ones and checks them and the tests against the spec. */
    private Cmd build(Grammar.Spec spec, Node n, String kind) {
        String what = "the " + n.name() + " " + kind;
        Map<String, Arg> tags = new LinkedHashMap<>();
        Map<String, String> groups = new LinkedHashMap<>();
        List<Arg> positional = new ArrayList<>();
        List<Arg> args = n.args();
        boolean ok = true;
        for (int i = 0; i < args.size(); i++) {
            Arg a = args.get(i);
            if (!(a instanceof Arg.Tag t)) {
                positional.add(a);
                continue;
            }
            Grammar.TagSpec ts = spec.tag(t.name());
            if (ts == null || !enabled(ts.ext())) {
                if (reported.add(n.name() + ":" + t.name())) {
                    error(t.line(), "unknown tagged argument ':" + t.name() + "' for " + what
                            + " (reported only once at first occurrence)");
                }
                ok = false;
                continue;
            }
            if (ts.group() != null && groups.containsKey(ts.group())) {
                String g = ts.group().equals("transform") || ts.group().equals("location") || ts.group().equals(
                        "period") || ts.group().equals("size") || ts.group().equals("zone") ? ":" + t.name() : null;
                error(t.line(), g != null ? "encountered duplicate " + g + " argument for " + what
                        : "encountered duplicate " + ts.group() + " argument (:" + t.name() + ") for " + what);
                ok = false;
            } else if (ts.group() == null && tags.containsKey(t.name())) {
                error(t.line(), "encountered duplicate :" + t.name() + " argument for " + what);
                ok = false;
            }
            if (ts.group() != null) {
                groups.put(ts.group(), t.name());
            }
            Arg value = null;
            if (ts.value() != '\0') {
                Arg v = i + 1 < args.size() ? args.get(i + 1) : null;
                String need = ts.value() == 'n' ? "a number" : ts.value() == 's' ? "a string" : "a string list";
                if (spec.name().equals("size") && (v == null || v instanceof Arg.Tag || !fits('n', v))) {
                    // Pigeonhole takes the limit for size's positional argument, not the tag's
                    error(n.line(), v == null || v instanceof Arg.Tag
                            ? what + " requires 1 positional argument(s), but 0 is/are specified"
                            : what + " expects a number as argument 1 (limit), but " + describe(v) + " was found");
                    return null;
                }
                if (v == null || v instanceof Arg.Tag || !fits(ts.value(), v)) {
                    error(t.line(), "the :" + t.name() + " tag for " + what + " requires " + need
                            + " as parameter, but " + (v == null ? "none" : describe(v)) + " was found");
                    ok = false;
                    if (v != null && !(v instanceof Arg.Tag)) {
                        i++;
                    }
                    continue;
                }
                value = v;
                i++;
            }
            tags.put(t.name(), value);
        }
        List<Grammar.Pos> want = spec.positional();
        int min = want.size() - spec.optionalLeading();
        if (!ok) {
            return null; // an unknown or broken tag: its value cannot be told from a positional argument
        }
        if (positional.size() < min || positional.size() > want.size()) {
            error(n.line(), what + " requires " + want.size() + " positional argument(s), but " + positional.size()
                    + " is/are specified");
            return null;
        }
        int skip = want.size() - positional.size();
        for (int i = 0; i < positional.size(); i++) {
            Grammar.Pos p = want.get(i + skip);
            Arg a = positional.get(i);
            if (!fits(p.kind(), a)) {
                String need = p.kind() == 'n' ? "a number" : p.kind() == 's' ? "a string" : "a string list";
                error(a.line(), what + " expects " + need + " as argument " + (i + 1 + skip) + " (" + p.name()
                        + "), but " + describe(a) + " was found");
                ok = false;
            }
        }
        List<Cmd> tests = new ArrayList<>();
        switch (spec.tests()) {
            case NONE -> {
                if (!n.tests().isEmpty()) {
                    // as Pigeonhole: a test where none belongs is spurious, anything else a missing semicolon
                    // before the next command; the sub-tests are not looked at
                    Grammar.Spec next = Grammar.test(n.tests().get(0).name());
                    error(n.line(), next != null && enabled(next.ext())
                            ? what + " accepts no sub-tests, but tests are specified"
                            : "missing semicolon ';' after " + n.name() + " " + kind);
                    return null;
                }
            }
            case ONE -> {
                if (n.tests().isEmpty()) {
                    error(n.line(), what + " requires one sub-test, but none is specified");
                    ok = false;
                } else if (n.testList()) {
                    error(n.line(), what + " requires one sub-test, but a list of tests is specified");
                    ok = false;
                }
            }
            case LIST -> {
                if (n.tests().isEmpty()) {
                    error(n.line(), what + " requires a list of sub-tests, but none is specified");
                    ok = false;
                } else if (!n.testList()) {
                    error(n.line(), what + " requires a list of sub-tests, but a single test is specified");
                    ok = false;
                }
            }
            default -> throw new IllegalStateException();
        }
        for (Node t : n.tests()) {
            Cmd tc = test(t);
            if (tc == null) {
                ok = false;
            } else {
                tests.add(tc);
            }
        }
        if (!ok) {
            return null;
        }
        return new Cmd(n.name(), java.util.Collections.unmodifiableMap(tags), List.copyOf(positional),
                List.copyOf(tests), null, n.line());
    }

    private static boolean fits(char kind, Arg a) {
        return switch (kind) {
            case 'n' -> a instanceof Arg.Num;
            case 's' -> a instanceof Arg.Strings s && !s.list();
            default -> a instanceof Arg.Strings;
        };
    }

    private static String describe(Arg a) {
        if (a instanceof Arg.Num) {
            return "a number";
        }
        if (a instanceof Arg.Tag t) {
            return "tag ':" + t.name() + "'";
        }
        return ((Arg.Strings) a).list() ? "a string list" : "a string";
    }

    /** The checks particular to a command or test. */
    private void check(Cmd c) {
        String rel = c.has("count") ? "count" : c.has("value") ? "value" : null;
        if (rel != null && !RELATIONAL.contains(c.tagString(rel).toLowerCase(Locale.ROOT))) {
            error(c.line(), "the :" + rel + " match-type requires a constant string argument being one of \"gt\", "
                    + "\"ge\", \"lt\", \"le\", \"eq\" or \"ne\", but \"" + c.tagString(rel) + "\" was found");
        }
        String comparator = c.tagString("comparator");
        if (comparator != null && !comparator.equals("i;octet") && !comparator.equals("i;ascii-casemap")
                && !(comparator.equals("i;ascii-numeric") && capabilities.contains("comparator-i;ascii-numeric"))) {
            error(c.line(), "unknown comparator '" + comparator + "'");
        }
        switch (c.name()) {
            case "size" -> {
                if (!c.has("over") && !c.has("under")) {
                    error(c.line(), "the size test requires either the :under or the :over tag to be specified");
                }
            }
            case "set" -> checkSet(c);
            case "redirect" -> checkAddress(c.line(), c.string(0), "specified redirect address '%s' is invalid");
            case "vacation" -> checkVacation(c);
            case "include" -> {
                String name = c.string(0);
                if (name.isEmpty() || name.contains("/") || name.length() > 255 || hasControl(name)) {
                    error(c.line(), "include: invalid script name '" + name + "'");
                }
            }
            case "global" -> {
                if (!capabilities.contains("variables")) {
                    error(c.line(), "unknown command 'global' (only reported once at first occurrence)");
                }
                for (String v : c.strings(0)) {
                    if (!isIdentifier(v)) {
                        error(c.line(), "invalid variable name '" + v + "'");
                    }
                }
            }
            case "date", "currentdate" -> {
                String part = c.string(c.name().equals("date") ? 1 : 0).toLowerCase(Locale.ROOT);
                if (!part.contains("${") && !DATE_PARTS.contains(part)) {
                    warning(c.line(), "specified date part `" + part + "' is not known");
                }
            }
            case "setflag", "addflag", "removeflag", "hasflag" -> {
                if (c.positional().size() == 2 && !capabilities.contains("variables")) {
                    error(c.line(), "the " + c.name() + " " + (c.name().equals("hasflag") ? "test" : "command")
                            + " requires 1 positional argument(s), but 2 is/are specified");
                }
            }
            default -> {
            }
        }
    }

    private void checkSet(Cmd c) {
        String name = c.string(0);
        if (!isIdentifier(name)) {
            error(c.line(), "invalid variable name '" + name + "'");
        }
        String[][] levels = {{"lower", "upper"}, {"lowerfirst", "upperfirst"}};
        for (String[] l : levels) {
            if (c.has(l[0]) && c.has(l[1])) {
                error(c.line(), "modifiers :" + l[0] + " and :" + l[1] + " specified for the set command conflict "
                        + "having equal precedence");
            }
        }
    }

    private void checkVacation(Cmd c) {
        String from = c.tagString("from");
        if (from != null) {
            checkAddress(c.line(), from, "specified :from address '%s' is invalid for vacation action");
        }
        List<String> addresses = c.tagStrings("addresses");
        if (addresses != null) {
            for (String a : addresses) {
                checkAddress(c.line(), a, "specified :addresses item '%s' is invalid");
            }
        }
        if (c.has("days") && c.tagNumber("days", 1) < 1) {
            warning(c.line(), "specified :days value '" + c.tagNumber("days", 1) + "' is under the minimum");
        }
        String subject = c.tagString("subject");
        if (subject != null && hasControl(subject) && !subject.contains("${")) {
            warning(c.line(), "the :subject of the vacation action contains control characters; they are "
                    + "replaced by spaces");
        }
    }

    /** A constant address must parse (with variables it is checked when the script runs). */
    private void checkAddress(int line, String address, String format) {
        if (address.contains("${") && capabilities.contains("variables")) {
            return;
        }
        String problem = addressProblem(address);
        if (problem != null) {
            error(line, String.format(format, address) + ": " + problem);
        }
    }

    /** Why a string is not one mail address (null if it is one). */
    public static String addressProblem(String address) {
        if (hasControl(address)) {
            return "it contains control characters";
        }
        try {
            InternetAddress[] a = InternetAddress.parseHeader(address, true);
            if (a.length != 1) {
                return "expecting exactly one address";
            }
            String addr = a[0].getAddress();
            int at = addr == null ? -1 : addr.lastIndexOf('@');
            if (at <= 0 || at == addr.length() - 1) {
                String local = addr == null ? address : addr;
                return "invalid or lonely local part '" + local.split("[ @]")[0] + "' (expecting '@')";
            }
            return null;
        } catch (AddressException e) {
            return "invalid address (" + e.getMessage() + ")";
        }
    }

    static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < 0x20 || ch == 0x7f) {
                return true;
            }
        }
        return false;
    }

    /** A variable name: a letter or underscore, then letters, digits and underscores. */
    public static boolean isIdentifier(String s) {
        if (s.isEmpty() || s.length() > 64) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            boolean letter = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_';
            if (!letter && !(i > 0 && ch >= '0' && ch <= '9')) {
                return false;
            }
        }
        return true;
    }
}
