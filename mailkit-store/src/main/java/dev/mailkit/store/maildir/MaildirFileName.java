package dev.mailkit.store.maildir;

import dev.mailkit.store.SystemFlag;

/**
 * Maildir file names (the de-facto standard of qmail, Courier, Postfix and Dovecot): a unique <i>base</i> such as
 * {@code 1700000000.M123456P4242Q7R1f2e3d4c5b6a7980.host,S=10240,W=10240}, and for messages in {@code cur/} an
 * <i>info</i> part {@code :2,} followed by flag letters in ASCII order: {@code D} draft, {@code F} flagged,
 * {@code P} passed, {@code R} replied (answered), {@code S} seen, {@code T} trashed (deleted), and lower-case
 * letters {@code a}..{@code z} for the keywords listed in {@code dovecot-keywords}.
 *
 * <p>{@code ,S=} is the file's size and {@code ,W=} its size with CRLF line ends (Dovecot's fields), so that sizes are
 * known from a directory listing alone. Stateless.
 */
final class MaildirFileName {
    /** System flag letters, indexed by {@link SystemFlag#ordinal()}. */
    private static final char[] LETTERS = {'S', 'R', 'F', 'T', 'D'};
    /** The info strings of the 32 system-flag combinations without keywords (shared, so messages need no copy). */
    private static final String[] SYSTEM_INFOS = new String[32];

    static {
        for (int bits = 0; bits < 32; bits++) {
            SYSTEM_INFOS[bits] = infoOf(bits, 0, null);
        }
    }

    private MaildirFileName() {
    }

    /** One directory entry, split. */
    static final class Parsed {
        final String base;
        final String info; // the letters after ":2,", or null if the name has no info part
        final long size; // ,S= or -1
        final long crlfSize; // ,W= or -1

        Parsed(String base, String info, long size, long crlfSize) {
            this.base = base;
            this.info = info;
            this.size = size;
            this.crlfSize = crlfSize;
        }
    }

    /**
     * Splits a directory entry name into base and info, or returns null for names that are not messages (hidden
     * files) or that mailkit cannot record safely (anything but printable ASCII without space).
     */
    static Parsed parse(String name) {
        if (name.isEmpty() || name.charAt(0) == '.' || !isSafe(name)) {
            return null;
        }
        int colon = name.indexOf(':');
        String base = colon < 0 ? name : name.substring(0, colon);
        String info = null;
        if (colon >= 0) {
            String rest = name.substring(colon + 1);
            info = rest.startsWith("2,") ? rest.substring(2) : "";
        }
        if (base.isEmpty()) {
            return null;
        }
        return new Parsed(base, info, field(base, ",S="), field(base, ",W="));
    }

    /** Whether a name consists of printable ASCII without space (what mailkit's index can record). */
    static boolean isSafe(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c >= 0x7f || c == '/') {
                return false;
            }
        }
        return true;
    }

    private static long field(String base, String key) {
        int i = base.indexOf(key);
        if (i < 0) {
            return -1;
        }
        long v = 0;
        int j = i + key.length();
        int digits = 0;
        while (j < base.length() && Character.isDigit(base.charAt(j)) && digits < 18) {
            v = v * 10 + (base.charAt(j++) - '0');
            digits++;
        }
        return digits == 0 ? -1 : v;
    }

    /** The same info string, shared for the common (system-flags-only) forms so that messages need no copy. */
    static String info(String letters) {
        for (String s : SYSTEM_INFOS) {
            if (s.equals(letters)) {
                return s;
            }
        }
        return letters;
    }

    /** The system flag bits of an info part (unknown letters are ignored). */
    static int systemBits(String info) {
        int bits = 0;
        for (int i = 0; i < info.length(); i++) {
            switch (info.charAt(i)) {
                case 'S': bits |= 1 << SystemFlag.SEEN.ordinal(); break;
                case 'R': bits |= 1 << SystemFlag.ANSWERED.ordinal(); break;
                case 'F': bits |= 1 << SystemFlag.FLAGGED.ordinal(); break;
                case 'T': bits |= 1 << SystemFlag.DELETED.ordinal(); break;
                case 'D': bits |= 1 << SystemFlag.DRAFT.ordinal(); break;
                default: break;
            }
        }
        return bits;
    }

    /** The keyword letter mask (bit i for letter 'a' + i) of an info part. */
    static int keywordMask(String info) {
        int mask = 0;
        for (int i = 0; i < info.length(); i++) {
            char c = info.charAt(i);
            if (c >= 'a' && c <= 'z') {
                mask |= 1 << (c - 'a');
            }
        }
        return mask;
    }

    /** Upper-case letters of an info part that mailkit has no flag for (such as {@code P}), kept on renames. */
    static String extraLetters(String info) {
        StringBuilder sb = null;
        for (int i = 0; i < info.length(); i++) {
            char c = info.charAt(i);
            if (c >= 'A' && c <= 'Z' && "SRFTD".indexOf(c) < 0) {
                if (sb == null) {
                    sb = new StringBuilder(2);
                }
                sb.append(c);
            }
        }
        return sb == null ? null : sb.toString();
    }

    /**
     * The info letters for flags, in ASCII order.
     *
     * @param keywordMask bit i set for keyword letter 'a' + i
     * @param extra       extra upper-case letters to keep, or null
     */
    static String info(int systemBits, int keywordMask, String extra) {
        if (keywordMask == 0 && extra == null) {
            return SYSTEM_INFOS[systemBits];
        }
        return infoOf(systemBits, keywordMask, extra);
    }

    private static String infoOf(int systemBits, int keywordMask, String extra) {
        boolean[] upper = new boolean[26];
        for (int f = 0; f < LETTERS.length; f++) {
            if ((systemBits & (1 << f)) != 0) {
                upper[LETTERS[f] - 'A'] = true;
            }
        }
        if (extra != null) {
            for (int i = 0; i < extra.length(); i++) {
                upper[extra.charAt(i) - 'A'] = true;
            }
        }
        StringBuilder sb = new StringBuilder(8);
        for (int i = 0; i < 26; i++) {
            if (upper[i]) {
                sb.append((char) ('A' + i));
            }
        }
        for (int i = 0; i < 26; i++) {
            if ((keywordMask & (1 << i)) != 0) {
                sb.append((char) ('a' + i));
            }
        }
        return sb.toString();
    }

    /**
     * The time a base name was made, in epoch seconds: the digits before its first dot, as every Maildir delivery
     * agent (mailkit, Dovecot, Postfix, qmail) starts a new name; -1 for a name that does not start so.
     */
    static long savedSeconds(String base) {
        int dot = base.indexOf('.');
        if (dot < 1 || dot > 12) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < dot; i++) {
            char c = base.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /**
     * A new unique base: {@code <seconds>.M<microseconds>P<pid>Q<counter>R<random>.<host>,S=<size>,W=<crlfSize>}.
     */
    static String newBase(long epochMicros, long pid, long counter, long random, String host, long size,
                          long crlfSize) {
        StringBuilder sb = new StringBuilder(80);
        sb.append(epochMicros / 1_000_000).append(".M").append(epochMicros % 1_000_000).append('P').append(pid)
                .append('Q').append(counter).append('R');
        String hex = Long.toHexString(random);
        for (int i = hex.length(); i < 16; i++) {
            sb.append('0');
        }
        sb.append(hex).append('.').append(host).append(",S=").append(size).append(",W=").append(crlfSize);
        return sb.toString();
    }

    /** The file name of a message: the base, plus {@code :2,info} when it is in {@code cur/}. */
    static String fileName(String base, String info) {
        return info == null ? base : base + ":2," + info;
    }

    /**
     * A host name made safe for file names as the Maildir convention asks ({@code /} as {@code \057}, {@code :} as
     * {@code \072}), and also {@code ,} (Dovecot's field separator) and anything outside printable ASCII.
     */
    static String safeHost(String host) {
        StringBuilder sb = new StringBuilder(host.length());
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c == '/' || c == ':' || c == ',' || c == '\\' || c <= ' ' || c >= 0x7f) {
                sb.append('\\').append(String.format("%03o", (int) c & 0xff));
            } else {
                sb.append(c);
            }
        }
        return sb.length() == 0 ? "localhost" : sb.toString();
    }
}
