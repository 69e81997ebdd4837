package dev.mailkit.sieve.internal.parse;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What each command and test takes (RFC 5228 and the extensions mailkit implements): the capability it needs, its
 * tagged arguments (with the kind of value and the group of mutually exclusive tags), its positional arguments,
 * tests and block. The validator checks a parsed script against it. Immutable tables.
 */
final class Grammar {
    /** The capabilities a script may {@code require}. */
    static final Set<String> CAPABILITIES = Set.of("fileinto", "reject", "ereject", "envelope", "imap4flags",
            "copy", "body", "variables", "relational", "subaddress", "date", "include", "mailbox", "vacation",
            "vacation-seconds", "spamtest", "spamtestplus", "virustest", "comparator-i;ascii-numeric",
            "comparator-i;octet", "comparator-i;ascii-casemap");

    static final String MATCH = "MATCH-TYPE";
    static final String COMPARATOR = "COMPARATOR";
    static final String ADDRESS_PART = "ADDRESS-PART";

    /** Whether tests, or a block, are wanted: none, one, a list. */
    enum Tests { NONE, ONE, LIST }

    /**
     * A tagged argument.
     *
     * @param name  without the colon
     * @param value 0 for none, 's' a string, 'l' a string list, 'n' a number
     * @param group tags of one group exclude each other (null for none)
     * @param ext   the capability it needs (null for none)
     */
    record TagSpec(String name, char value, String group, String ext) {
    }

    /**
     * A positional argument.
     *
     * @param kind 's' string, 'l' string list, 'n' number
     * @param name how the error messages call it
     */
    record Pos(char kind, String name) {
    }

    /**
     * A command or test.
     *
     * @param optionalLeading the number of leading positional arguments that may be left out
     */
    record Spec(String name, boolean test, String ext, List<TagSpec> tags, List<Pos> positional,
                int optionalLeading, Tests tests, boolean block) {
        TagSpec tag(String n) {
            for (TagSpec t : tags) {
                if (t.name().equals(n)) {
                    return t;
                }
            }
            return null;
        }
    }

    private static final List<TagSpec> MATCHING = List.of(
            new TagSpec("is", '\0', MATCH, null), new TagSpec("contains", '\0', MATCH, null),
            new TagSpec("matches", '\0', MATCH, null), new TagSpec("count", 's', MATCH, "relational"),
            new TagSpec("value", 's', MATCH, "relational"), new TagSpec("comparator", 's', COMPARATOR, null));
    private static final List<TagSpec> ADDRESS = List.of(
            new TagSpec("all", '\0', ADDRESS_PART, null), new TagSpec("localpart", '\0', ADDRESS_PART, null),
            new TagSpec("domain", '\0', ADDRESS_PART, null), new TagSpec("user", '\0', ADDRESS_PART, "subaddress"),
            new TagSpec("detail", '\0', ADDRESS_PART, "subaddress"));

    private static final Map<String, Spec> COMMANDS;
    private static final Map<String, Spec> TESTS;

    static {
        Map<String, Spec> commands = new HashMap<>();
        Map<String, Spec> tests = new HashMap<>();
        Tables t = new Tables(commands, tests);
        t.fill();
        COMMANDS = Map.copyOf(commands);
        TESTS = Map.copyOf(tests);
    }

    /** Fills the tables once, at class initialisation. */
    private record Tables(Map<String, Spec> commands, Map<String, Spec> tests) {
    void fill() {
        Map<String, Spec> COMMANDS = commands;
        Map<String, Spec> TESTS = tests;
        command("require", null, List.of(), List.of(new Pos('l', "capabilities")), Tests.NONE, false);
        command("if", null, List.of(), List.of(), Tests.ONE, true);
        command("elsif", null, List.of(), List.of(), Tests.ONE, true);
        command("else", null, List.of(), List.of(), Tests.NONE, true);
        command("stop", null, List.of(), List.of(), Tests.NONE, false);
        command("keep", null, List.of(new TagSpec("flags", 'l', null, "imap4flags")), List.of(), Tests.NONE, false);
        command("discard", null, List.of(), List.of(), Tests.NONE, false);
        command("redirect", null, List.of(new TagSpec("copy", '\0', null, "copy")),
                List.of(new Pos('s', "address")), Tests.NONE, false);
        command("fileinto", "fileinto", List.of(new TagSpec("copy", '\0', null, "copy"),
                new TagSpec("flags", 'l', null, "imap4flags"), new TagSpec("create", '\0', null, "mailbox")),
                List.of(new Pos('s', "folder")), Tests.NONE, false);
        command("reject", "reject", List.of(), List.of(new Pos('s', "reason")), Tests.NONE, false);
        command("ereject", "ereject", List.of(), List.of(new Pos('s', "reason")), Tests.NONE, false);
        for (String f : List.of("setflag", "addflag", "removeflag")) {
            COMMANDS.put(f, new Spec(f, false, "imap4flags", List.of(),
                    List.of(new Pos('s', "variable name"), new Pos('l', "list of flags")), 1, Tests.NONE, false));
        }
        command("set", "variables", List.of(new TagSpec("lower", '\0', null, null),
                new TagSpec("upper", '\0', null, null), new TagSpec("lowerfirst", '\0', null, null),
                new TagSpec("upperfirst", '\0', null, null), new TagSpec("quotewildcard", '\0', null, null),
                new TagSpec("length", '\0', null, null)),
                List.of(new Pos('s', "name"), new Pos('s', "value")), Tests.NONE, false);
        command("include", "include", List.of(new TagSpec("personal", '\0', "location", null),
                new TagSpec("global", '\0', "location", null), new TagSpec("once", '\0', null, null),
                new TagSpec("optional", '\0', null, null)), List.of(new Pos('s', "script-name")), Tests.NONE, false);
        command("return", "include", List.of(), List.of(), Tests.NONE, false);
        command("global", "include", List.of(), List.of(new Pos('l', "value")), Tests.NONE, false);
        command("vacation", "vacation", List.of(new TagSpec("days", 'n', "period", null),
                new TagSpec("seconds", 'n', "period", "vacation-seconds"), new TagSpec("subject", 's', null, null),
                new TagSpec("from", 's', null, null), new TagSpec("addresses", 'l', null, null),
                new TagSpec("mime", '\0', null, null), new TagSpec("handle", 's', null, null)),
                List.of(new Pos('s', "reason")), Tests.NONE, false);

        test("true", null, List.of(), List.of(), Tests.NONE);
        test("false", null, List.of(), List.of(), Tests.NONE);
        test("not", null, List.of(), List.of(), Tests.ONE);
        test("allof", null, List.of(), List.of(), Tests.LIST);
        test("anyof", null, List.of(), List.of(), Tests.LIST);
        test("exists", null, List.of(), List.of(new Pos('l', "header names")), Tests.NONE);
        test("size", null, List.of(new TagSpec("over", 'n', "size", null), new TagSpec("under", 'n', "size", null)),
                List.of(), Tests.NONE);
        test("header", null, MATCHING, List.of(new Pos('l', "header names"), new Pos('l', "key list")), Tests.NONE);
        test("address", null, concat(MATCHING, ADDRESS),
                List.of(new Pos('l', "header list"), new Pos('l', "key list")), Tests.NONE);
        test("envelope", "envelope", concat(MATCHING, ADDRESS),
                List.of(new Pos('l', "envelope part"), new Pos('l', "key list")), Tests.NONE);
        test("body", "body", concat(MATCHING, List.of(new TagSpec("raw", '\0', "transform", null),
                new TagSpec("content", 'l', "transform", null), new TagSpec("text", '\0', "transform", null))),
                List.of(new Pos('l', "key list")), Tests.NONE);
        test("string", "variables", MATCHING, List.of(new Pos('l', "source"), new Pos('l', "key list")),
                Tests.NONE);
        test("date", "date", concat(MATCHING, List.of(new TagSpec("zone", 's', "zone", null),
                new TagSpec("originalzone", '\0', "zone", null))), List.of(new Pos('s', "header name"),
                new Pos('s', "date part"), new Pos('l', "key list")), Tests.NONE);
        test("currentdate", "date", concat(MATCHING, List.of(new TagSpec("zone", 's', "zone", null))),
                List.of(new Pos('s', "date part"), new Pos('l', "key list")), Tests.NONE);
        TESTS.put("hasflag", new Spec("hasflag", true, "imap4flags", MATCHING,
                List.of(new Pos('l', "variable list"), new Pos('l', "list of flag names")), 1, Tests.NONE, false));
        test("mailboxexists", "mailbox", List.of(), List.of(new Pos('l', "mailbox-names")), Tests.NONE);
        test("spamtest", "spamtest", concat(MATCHING, List.of(new TagSpec("percent", '\0', null, "spamtestplus"))),
                List.of(new Pos('s', "value")), Tests.NONE);
        test("virustest", "virustest", MATCHING, List.of(new Pos('s', "value")), Tests.NONE);
    }

    private void command(String name, String ext, List<TagSpec> tags, List<Pos> pos, Tests tests,
                         boolean block) {
        commands.put(name, new Spec(name, false, ext, tags, pos, 0, tests, block));
    }

    private void test(String name, String ext, List<TagSpec> tags, List<Pos> pos, Tests tests) {
        this.tests.put(name, new Spec(name, true, ext, tags, pos, 0, tests, false));
    }
    }

    private Grammar() {
    }

    private static List<TagSpec> concat(List<TagSpec> a, List<TagSpec> b) {
        List<TagSpec> out = new java.util.ArrayList<>(a);
        out.addAll(b);
        return List.copyOf(out);
    }

    static Spec command(String name) {
        return COMMANDS.get(name);
    }

    static Spec test(String name) {
        return TESTS.get(name);
    }
}
