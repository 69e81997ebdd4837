package dev.mailkit.imap.internal.preview;

import java.util.Locale;
import java.util.Map;

/**
 * Streams HTML as the text a reader sees, for previews: tags are dropped (block tags such as {@code p}, {@code br},
 * {@code div}, {@code li}, {@code tr} and headings end a line), comments and the content of {@code script},
 * {@code style} and {@code blockquote} (quoted replies) are skipped, character references ({@code &amp;},
 * {@code &#233;}, {@code &#xE9;}) are decoded. Never fails: malformed markup is skipped as best it can be, and a
 * tag or a reference is never held beyond a small bound, so hostile input costs linear time and constant memory.
 * Not thread-safe.
 */
final class HtmlText {
    private static final int MAX_TAG = 64;
    private static final int MAX_REFERENCE = 12;
    private static final Map<String, Character> ENTITIES = Map.ofEntries(
            Map.entry("amp", '&'), Map.entry("lt", '<'), Map.entry("gt", '>'), Map.entry("quot", '"'),
            Map.entry("apos", '\''), Map.entry("nbsp", '\u00A0'), Map.entry("copy", '\u00A9'),
            Map.entry("reg", '\u00AE'), Map.entry("euro", '\u20AC'), Map.entry("hellip", '\u2026'),
            Map.entry("mdash", '\u2014'), Map.entry("ndash", '\u2013'), Map.entry("laquo", '\u00AB'),
            Map.entry("raquo", '\u00BB'), Map.entry("rsquo", '\u2019'), Map.entry("lsquo", '\u2018'),
            Map.entry("ldquo", '\u201C'), Map.entry("rdquo", '\u201D'), Map.entry("auml", '\u00E4'),
            Map.entry("ouml", '\u00F6'), Map.entry("uuml", '\u00FC'), Map.entry("szlig", '\u00DF'),
            Map.entry("eacute", '\u00E9'), Map.entry("egrave", '\u00E8'), Map.entry("aacute", '\u00E1'));

    private enum State { TEXT, TAG, TAG_QUOTED, COMMENT, REFERENCE }

    private final SnippetText out;
    private State state = State.TEXT;
    private final StringBuilder tag = new StringBuilder();
    private final StringBuilder reference = new StringBuilder();
    private char quote;
    private int dashes;
    /** The element whose content is skipped (script, style, blockquote), or null. */
    private String skipping;
    private int skipDepth;

    HtmlText(SnippetText out) {
        this.out = out;
    }

    /** Adds one character of HTML. */
    void add(char c) {
        switch (state) {
            case TEXT -> text(c);
            case TAG -> tag(c);
            case TAG_QUOTED -> {
                if (c == quote) {
                    state = State.TAG;
                }
            }
            case COMMENT -> comment(c);
            case REFERENCE -> reference(c);
            default -> throw new AssertionError(state);
        }
    }

    private void text(char c) {
        if (c == '<') {
            state = State.TAG;
            tag.setLength(0);
        } else if (skipping != null) {
            return;
        } else if (c == '&') {
            state = State.REFERENCE;
            reference.setLength(0);
        } else {
            out.add(c);
        }
    }

    private void tag(char c) {
        if (c == '>') {
            state = State.TEXT;
            endTag();
            return;
        }
        if ((c == '"' || c == '\'') && tag.length() > 0 && tag.charAt(0) != '!') {
            quote = c;
            state = State.TAG_QUOTED;
            return;
        }
        if (tag.length() < MAX_TAG) {
            tag.append(c);
        }
        if (tag.length() == 3 && tag.toString().equals("!--")) {
            state = State.COMMENT;
            dashes = 0;
        }
    }

    private void comment(char c) {
        if (c == '>' && dashes >= 2) {
            state = State.TEXT;
            return;
        }
        dashes = c == '-' ? dashes + 1 : 0;
    }

    private void endTag() {
        String t = tag.toString().toLowerCase(Locale.ROOT);
        boolean closing = t.startsWith("/");
        String name = name(closing ? t.substring(1) : t);
        if (skipping != null) {
            if (name.equals(skipping)) {
                skipDepth += closing ? -1 : (t.endsWith("/") ? 0 : 1);
                if (skipDepth == 0) {
                    skipping = null;
                    out.add('\n');
                }
            }
            return;
        }
        if (!closing && (name.equals("script") || name.equals("style") || name.equals("blockquote"))
                && !t.endsWith("/")) {
            skipping = name;
            skipDepth = 1;
            return;
        }
        switch (name) {
            case "br", "p", "div", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol",
                 "hr", "title", "pre" -> out.add('\n');
            default -> {
                // inline markup leaves no trace
            }
        }
    }

    private static String name(String t) {
        int end = 0;
        while (end < t.length() && (Character.isLetterOrDigit(t.charAt(end)) || t.charAt(end) == '-')) {
            end++;
        }
        return t.substring(0, end);
    }

    private void reference(char c) {
        if (c == ';') {
            state = State.TEXT;
            emitReference(true);
            return;
        }
        if (reference.length() < MAX_REFERENCE && (Character.isLetterOrDigit(c) || c == '#')) {
            reference.append(c);
            return;
        }
        state = State.TEXT;
        emitReference(false);
        text(c);
    }

    private void emitReference(boolean terminated) {
        String r = reference.toString();
        int cp = -1;
        if (r.startsWith("#x") || r.startsWith("#X")) {
            cp = parse(r.substring(2), 16);
        } else if (r.startsWith("#")) {
            cp = parse(r.substring(1), 10);
        } else {
            Character named = ENTITIES.get(r);
            if (named != null) {
                cp = named;
            }
        }
        if (cp >= 0 && (terminated || r.startsWith("#"))) {
            for (char ch : Character.toChars(cp)) {
                out.add(ch);
            }
            return;
        }
        out.add('&');
        for (int i = 0; i < r.length(); i++) {
            out.add(r.charAt(i));
        }
        if (terminated) {
            out.add(';');
        }
    }

    private static int parse(String digits, int radix) {
        if (digits.isEmpty() || digits.length() > 8) {
            return -1;
        }
        try {
            int v = Integer.parseInt(digits, radix);
            return v > 0 && Character.isValidCodePoint(v) && !(v >= 0xD800 && v <= 0xDFFF) ? v : 0xFFFD;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
