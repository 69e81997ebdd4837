package dev.mailkit.sieve.internal.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Sieve grammar (RFC 5228 8.2) over the {@link Lexer}'s tokens: commands with arguments, tests and blocks. It
 * knows no command: which ones exist and what they take is the validator's business, as in Pigeonhole. Blocks and
 * tests nest at most {@value #MAX_NESTING} levels, string lists and argument lists are bounded, so a hostile script
 * costs bounded stack and memory.
 */
public final class Parser {
    /** The deepest nesting of blocks, and of tests (Pigeonhole's limits). */
    public static final int MAX_NESTING = 32;
    static final int MAX_LIST = 10_000;
    static final int MAX_ARGS = 64;

    private final List<Token> tokens;
    private int at;

    private Parser(List<Token> tokens) {
        this.tokens = tokens;
    }

    /** Parses a whole script into its top-level commands. */
    public static List<Node> parse(String source) throws SieveSyntaxException {
        Parser p = new Parser(new Lexer(source).tokens());
        List<Node> out = p.commands(0, null);
        Token t = p.peek();
        if (t.type() != Token.Type.EOF) {
            throw new SieveSyntaxException(t.line(), "unexpected " + t.describe()
                    + " found at (the presumed) end of file");
        }
        return out;
    }

    private Token peek() {
        return tokens.get(at);
    }

    private Token take() {
        Token t = tokens.get(at);
        if (t.type() != Token.Type.EOF) {
            at++;
        }
        return t;
    }

    private List<Node> commands(int depth, String owner) throws SieveSyntaxException {
        List<Node> out = new ArrayList<>();
        while (peek().type() == Token.Type.IDENTIFIER) {
            out.add(command(depth));
            if (out.size() > MAX_LIST) {
                throw new SieveSyntaxException(peek().line(), owner == null ? "too many commands"
                        : "failed to accept more commands inside the block of command '" + owner + "'");
            }
        }
        return out;
    }

    private Node command(int depth) throws SieveSyntaxException {
        Token id = take();
        String name = id.text().toLowerCase(Locale.ROOT);
        List<Arg> args = new ArrayList<>();
        List<Node> tests = new ArrayList<>();
        boolean list = arguments(name, args, tests, 0);
        Token t = take();
        if (t.type() == Token.Type.SEMICOLON) {
            return new Node(name, List.copyOf(args), List.copyOf(tests), list, null, id.line());
        }
        if (t.type() != Token.Type.LBRACE) {
            throw new SieveSyntaxException(t.line(), "expected end of command ';' or the beginning of a compound "
                    + "block '{', but found " + t.describe());
        }
        if (depth + 1 > MAX_NESTING) {
            throw new SieveSyntaxException(t.line(), "cannot nest command blocks deeper than " + MAX_NESTING
                    + " levels");
        }
        List<Node> block = commands(depth + 1, name);
        Token close = take();
        if (close.type() != Token.Type.RBRACE) {
            throw new SieveSyntaxException(close.line(), "expected end of compound block '}', but found "
                    + close.describe());
        }
        return new Node(name, List.copyOf(args), List.copyOf(tests), list, List.copyOf(block), id.line());
    }

    /** Reads arguments and then a test or test list; returns whether the tests were a list. */
    private boolean arguments(String owner, List<Arg> args, List<Node> tests, int testDepth)
            throws SieveSyntaxException {
        while (true) {
            Token t = peek();
            switch (t.type()) {
                case TAG -> {
                    take();
                    args.add(new Arg.Tag(t.text().toLowerCase(Locale.ROOT), t.line()));
                }
                case NUMBER -> {
                    take();
                    args.add(new Arg.Num(t.value(), t.line()));
                }
                case STRING -> {
                    take();
                    args.add(new Arg.Strings(List.of(t.text()), false, t.line()));
                }
                case LBRACKET -> args.add(stringList());
                default -> {
                    if (t.type() == Token.Type.IDENTIFIER) {
                        if (testDepth + 1 > MAX_NESTING) {
                            throw new SieveSyntaxException(t.line(), "cannot nest tests deeper than " + MAX_NESTING
                                    + " levels");
                        }
                        tests.add(test(testDepth + 1));
                        return false;
                    }
                    if (t.type() == Token.Type.LPAREN) {
                        if (testDepth + 1 > MAX_NESTING) {
                            throw new SieveSyntaxException(t.line(), "cannot nest tests deeper than " + MAX_NESTING
                                    + " levels");
                        }
                        testList(owner, tests, testDepth + 1);
                        return true;
                    }
                    return false;
                }
            }
            if (args.size() > MAX_ARGS) {
                throw new SieveSyntaxException(t.line(), "too many arguments for command '" + owner + "'");
            }
        }
    }

    private Node test(int depth) throws SieveSyntaxException {
        Token id = take();
        String name = id.text().toLowerCase(Locale.ROOT);
        List<Arg> args = new ArrayList<>();
        List<Node> tests = new ArrayList<>();
        boolean list = arguments(name, args, tests, depth);
        return new Node(name, List.copyOf(args), List.copyOf(tests), list, null, id.line());
    }

    private void testList(String owner, List<Node> tests, int depth) throws SieveSyntaxException {
        take();
        Token t = peek();
        if (t.type() != Token.Type.IDENTIFIER) {
            throw new SieveSyntaxException(t.line(), "expecting test identifier after '(' in test list, but found "
                    + t.describe());
        }
        tests.add(test(depth));
        while (true) {
            t = take();
            if (t.type() == Token.Type.RPAREN) {
                return;
            }
            if (t.type() != Token.Type.COMMA) {
                throw new SieveSyntaxException(t.line(), "expecting ',' or end of test list ')', but found "
                        + t.describe());
            }
            t = peek();
            if (t.type() != Token.Type.IDENTIFIER) {
                throw new SieveSyntaxException(t.line(), "expecting test identifier after ',' in test list, but "
                        + "found " + t.describe());
            }
            tests.add(test(depth));
            if (tests.size() > MAX_LIST) {
                throw new SieveSyntaxException(t.line(), "failed to accept more tests for command '" + owner + "'");
            }
        }
    }

    private Arg.Strings stringList() throws SieveSyntaxException {
        Token open = take();
        Token t = take();
        if (t.type() != Token.Type.STRING) {
            throw new SieveSyntaxException(t.line(), "expecting string after '[' in string list, but found "
                    + t.describe());
        }
        List<String> values = new ArrayList<>();
        values.add(t.text());
        while (true) {
            t = take();
            if (t.type() == Token.Type.RBRACKET) {
                return new Arg.Strings(List.copyOf(values), true, open.line());
            }
            if (t.type() != Token.Type.COMMA) {
                throw new SieveSyntaxException(t.line(), "expecting ',' or end of string list ']', but found "
                        + t.describe());
            }
            t = take();
            if (t.type() != Token.Type.STRING) {
                throw new SieveSyntaxException(t.line(), "expecting string after ',' in string list, but found "
                        + t.describe());
            }
            values.add(t.text());
            if (values.size() > MAX_LIST) {
                throw new SieveSyntaxException(t.line(), "failed to accept more items in string list");
            }
        }
    }
}
