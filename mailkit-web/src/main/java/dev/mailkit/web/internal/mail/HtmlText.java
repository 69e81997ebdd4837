package dev.mailkit.web.internal.mail;

/**
 * Turns message HTML into plain text for snippets and search: the content of {@code script}, {@code style},
 * {@code head} and comments is dropped, tags become spaces, a few common entities are decoded, white space is
 * collapsed. Linear in the input, never builds a DOM; the output is text only, never markup. Stateless.
 */
public final class HtmlText {
    private HtmlText() {
    }

    /** The visible text of some HTML, white space collapsed. */
    public static String toText(String html) {
        StringBuilder sb = new StringBuilder(Math.min(html.length(), 1 << 16));
        int i = 0;
        int n = html.length();
        while (i < n) {
            char c = html.charAt(i);
            if (c == '<') {
                if (html.startsWith("<!--", i)) {
                    int end = html.indexOf("-->", i + 4);
                    i = end < 0 ? n : end + 3;
                    continue;
                }
                int end = html.indexOf('>', i + 1);
                if (end < 0) {
                    break;
                }
                String tag = tagName(html, i + 1, end);
                i = end + 1;
                if (tag.equals("script") || tag.equals("style") || tag.equals("head") || tag.equals("title")) {
                    int close = indexOfIgnoreCase(html, "</" + tag, i);
                    if (close < 0) {
                        break;
                    }
                    int gt = html.indexOf('>', close);
                    i = gt < 0 ? n : gt + 1;
                }
                sb.append(' ');
            } else if (c == '&') {
                int semi = html.indexOf(';', i);
                if (semi > i && semi - i <= 8) {
                    String ent = html.substring(i + 1, semi);
                    String rep = entity(ent);
                    if (rep != null) {
                        sb.append(rep);
                        i = semi + 1;
                        continue;
                    }
                }
                sb.append(c);
                i++;
            } else {
                sb.append(c);
                i++;
            }
        }
        return collapse(sb);
    }

    private static String tagName(String s, int from, int to) {
        int i = from;
        if (i < to && s.charAt(i) == '/') {
            return "";
        }
        int start = i;
        while (i < to && Character.isLetterOrDigit(s.charAt(i))) {
            i++;
        }
        return s.substring(start, i).toLowerCase(java.util.Locale.ROOT);
    }

    private static int indexOfIgnoreCase(String s, String what, int from) {
        int n = s.length() - what.length();
        for (int i = from; i <= n; i++) {
            if (s.regionMatches(true, i, what, 0, what.length())) {
                return i;
            }
        }
        return -1;
    }

    private static String entity(String e) {
        switch (e) {
            case "nbsp": return " ";
            case "amp": return "&";
            case "lt": return "<";
            case "gt": return ">";
            case "quot": return "\"";
            case "apos": case "#39": return "'";
            default:
                if (e.startsWith("#")) {
                    try {
                        int cp = e.startsWith("#x") || e.startsWith("#X") ? Integer.parseInt(e.substring(2), 16)
                                : Integer.parseInt(e.substring(1));
                        if (Character.isValidCodePoint(cp) && cp >= 0x20) {
                            return new String(Character.toChars(cp));
                        }
                    } catch (NumberFormatException ignored) {
                        return null;
                    }
                }
                return null;
        }
    }

    /** Collapses runs of white space (and controls) into one space and trims. */
    public static String collapse(CharSequence s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean space = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || c == '\u00a0') {
                space = out.length() > 0;
            } else {
                if (space) {
                    out.append(' ');
                    space = false;
                }
                out.append(c);
            }
        }
        return out.toString();
    }
}
