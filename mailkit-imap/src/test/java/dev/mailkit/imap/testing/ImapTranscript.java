package dev.mailkit.imap.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns a server's IMAP output into comparable lines, for differential tests against Dovecot: literals become quoted
 * strings, the items of each FETCH response are sorted by name, the human-readable text after status responses is
 * dropped, and values that legitimately differ between servers (UIDVALIDITY, CAPABILITY lists, PERMANENTFLAGS'
 * keywords order) are masked.
 */
public final class ImapTranscript {
    private static final Pattern TIMING = Pattern.compile(" \\(\\d+\\.\\d+ \\+ \\d+\\.\\d+( \\+ \\d+\\.\\d+)? secs\\)");

    private ImapTranscript() {
    }

    /** Splits the raw output into logical responses (a response with literals is one entry), canonicalised. */
    public static List<String> normalize(byte[] output) {
        List<String> out = new ArrayList<>();
        int pos = 0;
        while (pos < output.length) {
            StringBuilder response = new StringBuilder();
            while (true) {
                int eol = indexOf(output, (byte) '\n', pos);
                if (eol < 0) {
                    eol = output.length;
                }
                int end = eol > pos && output[eol - 1] == '\r' ? eol - 1 : eol;
                String line = new String(output, pos, end - pos, StandardCharsets.UTF_8);
                pos = Math.min(output.length, eol + 1);
                int lit = literalSize(line);
                if (lit < 0) {
                    response.append(line);
                    break;
                }
                response.append(line, 0, line.lastIndexOf('{'));
                int n = Math.min(lit, output.length - pos);
                response.append(quote(new String(output, pos, n, StandardCharsets.UTF_8)));
                pos += n;
            }
            String r = response.toString();
            if (!r.isEmpty() && !MAILBOXID.matcher(r).lookingAt()) {
                out.add(canonical(r));
            }
        }
        sortListRuns(out);
        return out;
    }

    /** LIST and LSUB answers come in no defined order (Dovecot's follows the directory): compare them sorted. */
    private static void sortListRuns(List<String> out) {
        int i = 0;
        while (i < out.size()) {
            int j = i;
            while (j < out.size() && (out.get(j).startsWith("* LIST ") || out.get(j).startsWith("* LSUB "))) {
                j++;
            }
            if (j > i + 1) {
                java.util.Collections.sort(out.subList(i, j));
            }
            i = Math.max(j, i + 1);
        }
    }

    private static int indexOf(byte[] b, byte x, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == x) {
                return i;
            }
        }
        return -1;
    }

    private static int literalSize(String line) {
        if (!line.endsWith("}")) {
            return -1;
        }
        int open = line.lastIndexOf('{');
        if (open < 0) {
            return -1;
        }
        try {
            return Integer.parseInt(line.substring(open + 1, line.length() - 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /**
     * SELECT's {@code * OK [MAILBOXID (..)]} (RFC 8474), left out: Dovecot 2.3 has no OBJECTID, and the ids differ
     * anyway. A tagged {@code OK [MAILBOXID (..)]} (CREATE's) loses its code likewise.
     */
    private static final java.util.regex.Pattern MAILBOXID =
            java.util.regex.Pattern.compile("\\* OK \\[MAILBOXID \\([A-Za-z0-9_-]+\\)\\]");

    private static String canonical(String r) {
        r = r.replaceFirst("^([^ *+]+ OK) \\[MAILBOXID \\([A-Za-z0-9_-]+\\)\\]", "$1");
        r = TIMING.matcher(r).replaceAll("");
        String[] words = r.split(" ", 3);
        if (words.length >= 2 && !words[0].equals("*") && !words[0].equals("+")
                && (words[1].equals("OK") || words[1].equals("NO") || words[1].equals("BAD"))) {
            return words[0] + " " + words[1] + maskUidValidity(code(words.length > 2 ? words[2] : ""));
        }
        if (words[0].equals("+")) {
            return "+";
        }
        if (words.length >= 2 && (words[1].equals("OK") || words[1].equals("NO") || words[1].equals("BAD")
                || words[1].equals("BYE") || words[1].equals("PREAUTH"))) {
            String c = code(words.length > 2 ? words[2] : "");
            if (c.startsWith(" [CAPABILITY")) {
                c = " [CAPABILITY]";
            } else if (c.startsWith(" [UIDVALIDITY")) {
                c = " [UIDVALIDITY]";
            } else if (c.startsWith(" [COPYUID") || c.startsWith(" [APPENDUID")) {
                c = maskUidValidity(c);
            } else if (c.startsWith(" [PERMANENTFLAGS")) {
                c = " [PERMANENTFLAGS]";
            }
            return "* " + words[1] + c;
        }
        if (words.length >= 2 && words[1].equals("CAPABILITY")) {
            return "* CAPABILITY";
        }
        if (words.length >= 3 && words[2].startsWith("FETCH (")) {
            return "* " + words[1] + " FETCH " + sortFetch(words[2].substring("FETCH ".length()));
        }
        return r;
    }

    /** COPYUID and APPENDUID carry the target's UIDVALIDITY, which each server chooses itself. */
    private static String maskUidValidity(String code) {
        if (code.startsWith(" [COPYUID ") || code.startsWith(" [APPENDUID ")) {
            String[] parts = code.split(" ");
            parts[2] = "V";
            return String.join(" ", parts);
        }
        return code;
    }

    private static String code(String rest) {
        if (!rest.startsWith("[")) {
            return "";
        }
        int close = rest.indexOf(']');
        return close < 0 ? "" : " " + rest.substring(0, close + 1);
    }

    /** "(B x A (y z))" becomes "(A (y z) B x)". */
    private static String sortFetch(String list) {
        List<String> tokens = tokens(list.substring(1, list.length() - 1));
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i + 1 < tokens.size(); i += 2) {
            pairs.add(tokens.get(i) + " " + tokens.get(i + 1));
        }
        pairs.sort(String::compareTo);
        return "(" + String.join(" ", pairs) + ")";
    }

    /** Top-level tokens: atoms (with [..] and <..> attached), quoted strings, parenthesised lists. */
    private static List<String> tokens(String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == ' ') {
                i++;
                continue;
            }
            int start = i;
            if (c == '~' && i + 1 < s.length() && s.charAt(i + 1) == '"') {
                i++; // a literal8 (RFC 3516) made a quoted string: "~" stays to show it was one
                c = '"';
            }
            if (c == '"') {
                i++;
                while (i < s.length() && s.charAt(i) != '"') {
                    if (s.charAt(i) == '\\') {
                        i++;
                    }
                    i++;
                }
                i++;
            } else if (c == '(') {
                int depth = 0;
                boolean inQuote = false;
                while (i < s.length()) {
                    char d = s.charAt(i);
                    if (inQuote) {
                        if (d == '\\') {
                            i++;
                        } else if (d == '"') {
                            inQuote = false;
                        }
                    } else if (d == '"') {
                        inQuote = true;
                    } else if (d == '(') {
                        depth++;
                    } else if (d == ')' && --depth == 0) {
                        i++;
                        break;
                    }
                    i++;
                }
            } else {
                int bracket = 0;
                while (i < s.length() && (s.charAt(i) != ' ' || bracket > 0)) {
                    if (s.charAt(i) == '[') {
                        bracket++;
                    } else if (s.charAt(i) == ']') {
                        bracket--;
                    }
                    i++;
                }
            }
            out.add(s.substring(start, Math.min(i, s.length())));
        }
        return out;
    }
}
