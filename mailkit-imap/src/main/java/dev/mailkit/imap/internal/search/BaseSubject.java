package dev.mailkit.imap.internal.search;

/**
 * RFC 5256's base subject (section 2.1), which SORT SUBJECT and the THREAD algorithms compare: the decoded subject
 * without "Re:"/"Fw:"/"Fwd:" leaders, "[blob]" prefixes, "(fwd)" trailers and "[fwd: ...]" wrapping, white space
 * collapsed. {@link #isReplyOrForward} says whether anything of the kind was removed (THREAD's rules need it).
 * Stateless; linear in the subject apart from the rare [fwd: ] rewrap.
 */
public final class BaseSubject {
    private BaseSubject() {
    }

    /** The base subject of a raw (possibly encoded) Subject field value; "" for null. */
    public static String of(String raw) {
        return extract(raw, null);
    }

    /** Whether the subject is a reply or forward: base extraction removed a leader, trailer or [fwd: ]. */
    public static boolean isReplyOrForward(String raw) {
        boolean[] flag = {false};
        extract(raw, flag);
        return flag[0];
    }

    private static String extract(String raw, boolean[] replyOrForward) {
        if (raw == null) {
            return "";
        }
        String s = collapse(MessageText.decode(raw));
        while (true) {
            // (2) trailers: "(fwd)" and white space at the end
            while (true) {
                if (s.endsWith(" ")) {
                    s = s.substring(0, s.length() - 1);
                } else if (s.regionMatches(true, Math.max(0, s.length() - 5), "(fwd)", 0, 5) && s.length() >= 5) {
                    s = s.substring(0, s.length() - 5);
                    flag(replyOrForward);
                } else {
                    break;
                }
            }
            // (3)-(5) leaders and blobs
            boolean changed = true;
            while (changed) {
                changed = false;
                int n = leader(s);
                if (n > 0) {
                    if (s.charAt(0) != ' ' && s.charAt(0) != '[') {
                        flag(replyOrForward);
                    } else if (s.charAt(n - 1) == ':') {
                        flag(replyOrForward);
                    }
                    s = s.substring(n);
                    changed = true;
                }
                int b = blob(s, 0);
                if (b > 0 && b < s.length()) {
                    s = s.substring(b);
                    changed = true;
                }
            }
            // (6) [fwd: ...]
            if (s.length() >= 6 && s.regionMatches(true, 0, "[fwd:", 0, 5) && s.endsWith("]")) {
                s = s.substring(5, s.length() - 1);
                flag(replyOrForward);
                continue;
            }
            return s;
        }
    }

    private static void flag(boolean[] f) {
        if (f != null) {
            f[0] = true;
        }
    }

    /** The length of a subj-leader at the start ((*subj-blob subj-refwd) / WSP), or 0. */
    private static int leader(String s) {
        if (s.startsWith(" ")) {
            return 1;
        }
        int i = 0;
        while (true) {
            int b = blob(s, i);
            if (b == 0) {
                break;
            }
            i += b;
        }
        int r = refwd(s, i);
        return r == 0 ? 0 : i + r;
    }

    /** subj-refwd = ("re" / ("fw" ["d"])) *WSP [subj-blob] ":" at {@code i}: its length, or 0. */
    private static int refwd(String s, int i) {
        int j;
        if (s.regionMatches(true, i, "re", 0, 2)) {
            j = i + 2;
        } else if (s.regionMatches(true, i, "fwd", 0, 3)) {
            j = i + 3;
        } else if (s.regionMatches(true, i, "fw", 0, 2)) {
            j = i + 2;
        } else {
            return 0;
        }
        while (j < s.length() && s.charAt(j) == ' ') {
            j++;
        }
        j += blob(s, j);
        return j < s.length() && s.charAt(j) == ':' ? j + 1 - i : 0;
    }

    /** subj-blob = "[" *BLOBCHAR "]" *WSP at {@code i}: its length, or 0. */
    private static int blob(String s, int i) {
        if (i >= s.length() || s.charAt(i) != '[') {
            return 0;
        }
        int j = i + 1;
        while (j < s.length() && s.charAt(j) != ']' && s.charAt(j) != '[') {
            j++;
        }
        if (j >= s.length() || s.charAt(j) != ']') {
            return 0;
        }
        j++;
        while (j < s.length() && s.charAt(j) == ' ') {
            j++;
        }
        return j - i;
    }

    /** Tabs and line breaks to spaces, runs of spaces to one. */
    private static String collapse(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        boolean space = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                if (!space) {
                    sb.append(' ');
                }
                space = true;
            } else {
                sb.append(c);
                space = false;
            }
        }
        return sb.toString();
    }
}
