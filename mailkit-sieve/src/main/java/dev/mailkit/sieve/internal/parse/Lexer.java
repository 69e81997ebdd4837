package dev.mailkit.sieve.internal.parse;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a Sieve script into tokens (RFC 5228 8.1): identifiers, tags, numbers with K/M/G quantifiers, quoted and
 * multi-line strings (with dot-stuffing), the punctuation, and comments ({@code #} to the end of the line and
 * {@code /* ... *}{@code /}). Lines may end in CRLF or LF, as Pigeonhole accepts. Strings and numbers are bounded.
 * Stateless apart from the position; one per script.
 */
final class Lexer {
    /** The longest string accepted (a script is at most 1 MiB; one string at most a quarter of it). */
    static final int MAX_STRING = 256 * 1024;
    static final int MAX_IDENTIFIER = 128;

    private final String s;
    private int pos;
    private int line = 1;

    Lexer(String source) {
        this.s = source;
    }

    List<Token> tokens() throws SieveSyntaxException {
        List<Token> out = new ArrayList<>();
        Token t;
        do {
            t = next();
            out.add(t);
        } while (t.type() != Token.Type.EOF);
        return out;
    }

    private Token next() throws SieveSyntaxException {
        skipSpaceAndComments();
        if (pos >= s.length()) {
            return new Token(Token.Type.EOF, "", 0, line);
        }
        char c = s.charAt(pos);
        int start = line;
        switch (c) {
            case '[': pos++; return new Token(Token.Type.LBRACKET, "[", 0, start);
            case ']': pos++; return new Token(Token.Type.RBRACKET, "]", 0, start);
            case '(': pos++; return new Token(Token.Type.LPAREN, "(", 0, start);
            case ')': pos++; return new Token(Token.Type.RPAREN, ")", 0, start);
            case '{': pos++; return new Token(Token.Type.LBRACE, "{", 0, start);
            case '}': pos++; return new Token(Token.Type.RBRACE, "}", 0, start);
            case ',': pos++; return new Token(Token.Type.COMMA, ",", 0, start);
            case ';': pos++; return new Token(Token.Type.SEMICOLON, ";", 0, start);
            case '"': return quoted();
            case ':':
                pos++;
                if (pos < s.length() && isIdentStart(s.charAt(pos))) {
                    return new Token(Token.Type.TAG, identifier(true), 0, start);
                }
                throw new SieveSyntaxException(line, "unexpected character(s) starting with ':'");
            default:
                break;
        }
        if (c >= '0' && c <= '9') {
            return number();
        }
        if (isIdentStart(c)) {
            String id = identifier(false);
            if (id.equalsIgnoreCase("text") && pos < s.length() && s.charAt(pos) == ':') {
                pos++;
                return multiline(start);
            }
            return new Token(Token.Type.IDENTIFIER, id, 0, start);
        }
        throw new SieveSyntaxException(line, "unexpected character(s) starting with " + printable(c));
    }

    private static String printable(char c) {
        return c >= 0x21 && c < 0x7f ? "'" + c + "'" : String.format("0x%02x", (int) c);
    }

    private static boolean isIdentStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static boolean isIdentPart(char c) {
        return isIdentStart(c) || (c >= '0' && c <= '9');
    }

    private String identifier(boolean tag) throws SieveSyntaxException {
        int b = pos;
        while (pos < s.length() && isIdentPart(s.charAt(pos))) {
            pos++;
            if (pos - b > MAX_IDENTIFIER) {
                throw new SieveSyntaxException(line, "encountered impossibly long "
                        + (tag ? "tag identifier ':" : "identifier '") + s.substring(b, b + 20) + "...'");
            }
        }
        return s.substring(b, pos);
    }

    private Token number() throws SieveSyntaxException {
        int b = pos;
        long v = 0;
        while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
            int d = s.charAt(pos) - '0';
            if (v > (Long.MAX_VALUE - d) / 10) {
                throw new SieveSyntaxException(line, "number exceeds integer limits (max " + Long.MAX_VALUE + ")");
            }
            v = v * 10 + d;
            pos++;
        }
        String digits = s.substring(b, pos);
        if (pos < s.length()) {
            int shift = switch (Character.toUpperCase(s.charAt(pos))) {
                case 'K' -> 10;
                case 'M' -> 20;
                case 'G' -> 30;
                default -> 0;
            };
            if (shift > 0) {
                pos++;
                if (v > (Long.MAX_VALUE >> shift)) {
                    throw new SieveSyntaxException(line, "number exceeds integer limits (max " + Long.MAX_VALUE
                            + ")");
                }
                v <<= shift;
            }
        }
        return new Token(Token.Type.NUMBER, digits, v, line);
    }

    private Token quoted() throws SieveSyntaxException {
        int start = line;
        pos++;
        StringBuilder b = new StringBuilder();
        while (true) {
            if (pos >= s.length()) {
                throw new SieveSyntaxException(line, "end of file before end of quoted string started at line "
                        + start);
            }
            char c = s.charAt(pos++);
            if (c == '"') {
                break;
            }
            if (c == '\\') {
                if (pos >= s.length()) {
                    continue;
                }
                c = s.charAt(pos++);
            }
            if (c == '\0') {
                throw new SieveSyntaxException(line, "encountered NUL character in quoted string started at line "
                        + start);
            }
            if (c == '\n') {
                line++;
            } else if (c == '\r' && (pos >= s.length() || s.charAt(pos) != '\n')) {
                throw new SieveSyntaxException(line, "found stray carriage-return (CR) character in quoted string "
                        + "started at line " + start);
            }
            b.append(c);
            if (b.length() > MAX_STRING) {
                throw new SieveSyntaxException(line, "quoted string started at line " + start + " is too long "
                        + "(longer than " + MAX_STRING + " bytes)");
            }
        }
        return new Token(Token.Type.STRING, normaliseLineEnds(b), 0, start);
    }

    /** Line ends inside strings become CRLF, as RFC 5228 2.4.2 asks. */
    private static String normaliseLineEnds(CharSequence in) {
        StringBuilder out = new StringBuilder(in.length());
        for (int i = 0; i < in.length(); i++) {
            char c = in.charAt(i);
            if (c == '\r') {
                continue;
            }
            if (c == '\n') {
                out.append('\r');
            }
            out.append(c);
        }
        return out.toString();
    }

    private Token multiline(int start) throws SieveSyntaxException {
        // rest of the "text:" line: white space, then an optional hash comment, then the line end
        while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t')) {
            pos++;
        }
        if (pos < s.length() && s.charAt(pos) == '#') {
            while (pos < s.length() && s.charAt(pos) != '\n') {
                pos++;
            }
        }
        if (pos < s.length() && s.charAt(pos) == '\r') {
            pos++;
        }
        if (pos >= s.length()) {
            throw new SieveSyntaxException(line, "end of file before end of multi-line string");
        }
        if (s.charAt(pos) != '\n') {
            throw new SieveSyntaxException(line, "invalid character " + printable(s.charAt(pos))
                    + " after 'text:' in multiline string");
        }
        pos++;
        line++;
        StringBuilder b = new StringBuilder();
        while (true) {
            if (pos >= s.length()) {
                throw new SieveSyntaxException(line, "end of file before end of multi-line string");
            }
            int eol = s.indexOf('\n', pos);
            int end = eol < 0 ? s.length() : eol;
            String l = s.substring(pos, end > pos && s.charAt(end - 1) == '\r' ? end - 1 : end);
            pos = eol < 0 ? s.length() : eol + 1;
            if (eol < 0 && !l.equals(".")) {
                throw new SieveSyntaxException(line, "end of file before end of multi-line string");
            }
            line++;
            if (l.equals(".")) {
                break;
            }
            if (l.indexOf('\0') >= 0) {
                throw new SieveSyntaxException(line - 1, "encountered NUL character in quoted string started at "
                        + "line " + start);
            }
            b.append(l.startsWith("..") ? l.substring(1) : l).append("\r\n");
            if (b.length() > MAX_STRING) {
                throw new SieveSyntaxException(line, "multi-line string started at line " + start + " is too long "
                        + "(longer than " + MAX_STRING + " bytes)");
            }
        }
        return new Token(Token.Type.STRING, b.toString(), 0, start);
    }

    private void skipSpaceAndComments() throws SieveSyntaxException {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == '\n') {
                line++;
                pos++;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                pos++;
            } else if (c == '#') {
                while (pos < s.length() && s.charAt(pos) != '\n') {
                    if (s.charAt(pos) == '\0') {
                        throw new SieveSyntaxException(line, "encountered NUL character in hash comment");
                    }
                    pos++;
                }
            } else if (c == '/' && pos + 1 < s.length() && s.charAt(pos + 1) == '*') {
                int start = line;
                pos += 2;
                while (true) {
                    if (pos + 1 >= s.length()) {
                        if (pos < s.length() && s.charAt(pos) == '\n') {
                            line++; // the file's last line end: the end of file is on the line after it
                        }
                        throw new SieveSyntaxException(line, "end of file before end of bracket comment "
                                + "('/* ... */') started at line " + start);
                    }
                    char d = s.charAt(pos);
                    if (d == '*' && s.charAt(pos + 1) == '/') {
                        pos += 2;
                        break;
                    }
                    if (d == '\n') {
                        line++;
                    }
                    pos++;
                }
            } else {
                return;
            }
        }
    }
}
