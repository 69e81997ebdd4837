package dev.mailkit.sieve.internal.parse;

/**
 * One lexical token of a Sieve script (RFC 5228 8.1) with the line it starts on.
 *
 * @param type  what it is
 * @param text  the identifier or tag name (without the colon), the decoded string, or the number's digits
 * @param value the number's value (with its K/M/G quantifier applied)
 * @param line  the line it starts on, from 1
 */
record Token(Type type, String text, long value, int line) {
    enum Type { IDENTIFIER, TAG, NUMBER, STRING, LBRACKET, RBRACKET, LPAREN, RPAREN, LBRACE, RBRACE, COMMA,
        SEMICOLON, EOF }

    /** How Pigeonhole names a token in its messages ("identifier 'foo'", "';'", "end of file"). */
    String describe() {
        return switch (type) {
            case IDENTIFIER -> "identifier '" + text + "'";
            case TAG -> "tag ':" + text + "'";
            case NUMBER -> "number " + text;
            case STRING -> "string";
            case LBRACKET -> "'['";
            case RBRACKET -> "']'";
            case LPAREN -> "'('";
            case RPAREN -> "')'";
            case LBRACE -> "'{'";
            case RBRACE -> "'}'";
            case COMMA -> "','";
            case SEMICOLON -> "';'";
            case EOF -> "end of file";
        };
    }
}
