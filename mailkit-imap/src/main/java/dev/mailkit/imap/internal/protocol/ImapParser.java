package dev.mailkit.imap.internal.protocol;

import dev.mailkit.core.MessageSource;
import dev.mailkit.core.MessageSpool;
import dev.mailkit.imap.internal.command.SequenceSet;
import dev.mailkit.core.ModifiedUtf7;
import dev.mailkit.imap.internal.message.MessageFlags;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The token-level grammar of RFC 3501 section 9 over the current command of a {@link CommandReader}: atoms,
 * quoted strings, literals (read through the reader, which enforces the size limits), numbers, sequence sets,
 * flags, dates and mailbox names (decoded from modified UTF-7). Tracks the nesting depth of parenthesised lists and
 * search keys and refuses to go deeper than the limit. Not thread-safe.
 */
public final class ImapParser {
    private static final String[] MONTHS = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT",
        "NOV", "DEC"};
    private static final long UINT32_MAX = 0xFFFF_FFFFL;

    private final CommandReader r;
    private boolean utf8;
    private boolean rev2;
    private int depth;
    private int maxDepth = 64;
    private byte[] scratch = new byte[256];

    /** A parser over the reader's current command. */
    public ImapParser(CommandReader reader) {
        this.r = reader;
    }

    /** The reader. */
    public CommandReader reader() {
        return r;
    }

    /** Sets the deepest nesting of lists and search keys accepted. */
    public void setMaxDepth(int maxDepth) {
        this.maxDepth = maxDepth;
    }

    /** Resets per-command state. */
    public void reset() {
        depth = 0;
    }

    // ------------------------------------------------------------------------------------------ structure

    /** Enters a nested list or key; refuses beyond the depth limit. */
    public void enter() throws ParseException {
        if (++depth > maxDepth) {
            throw ParseException.bad("CLIENTBUG", "nesting deeper than " + maxDepth + " levels");
        }
    }

    /** Leaves a nested list or key. */
    public void leave() {
        depth--;
    }

    /** Consumes exactly one space. */
    public void sp() throws ParseException {
        if (r.next() != ' ') {
            throw ParseException.bad(r.atEndOfLine() ? "missing arguments" : "expected a space");
        }
    }

    /** Consumes a space if there is one. */
    public boolean trySp() {
        if (r.peek() == ' ') {
            r.next();
            return true;
        }
        return false;
    }

    /** Consumes the character or fails. */
    public void expect(char c) throws ParseException {
        int got = r.next();
        if (got != c) {
            throw ParseException.bad("expected '" + c + "'" + (got < 0 ? " but the line ended" : ""));
        }
    }

    /** Consumes the character if it is next. */
    public boolean tryChar(char c) {
        if (r.peek() == c) {
            r.next();
            return true;
        }
        return false;
    }

    /** The next character, -1 at the end of the line. */
    public int peek() {
        return r.peek();
    }

    /** Requires the end of the command. */
    public void end() throws ParseException {
        if (!r.atEndOfLine()) {
            throw ParseException.bad("unexpected characters at the end of the command: " + abbreviate(r.rest()));
        }
    }

    /** Whether the command's line has been consumed. */
    public boolean atEnd() {
        return r.atEndOfLine();
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    // ------------------------------------------------------------------------------------------ atoms

    /** The tag: 1*(ASTRING-CHAR except "+"). */
    public String tag() throws ParseException {
        int start = r.position();
        while (Ascii.isTagChar(r.peek())) {
            r.next();
        }
        if (r.position() == start) {
            throw ParseException.bad("missing or invalid tag");
        }
        return r.text(start);
    }

    /** An atom: 1*ATOM-CHAR. */
    public String atom() throws ParseException {
        int start = r.position();
        while (Ascii.isAtomChar(r.peek())) {
            r.next();
        }
        if (r.position() == start) {
            throw ParseException.bad(r.atEndOfLine() ? "missing arguments" : "expected an atom");
        }
        return r.text(start);
    }

    /** An atom, upper-cased (keywords of the grammar). */
    public String keyword() throws ParseException {
        return atom().toUpperCase(Locale.ROOT);
    }

    /**
     * A keyword of the FETCH grammar, upper-cased: letters, digits, '.' and '-' only, so that it stops before
     * '[' ({@code BODY.PEEK[}), '&lt;' and spaces.
     */
    public String word() throws ParseException {
        int start = r.position();
        int c;
        while ((c = r.peek()) >= 0 && (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
                || c == '.' || c == '-')) {
            r.next();
        }
        if (r.position() == start) {
            throw ParseException.bad(r.atEndOfLine() ? "missing arguments" : "expected a keyword");
        }
        return r.text(start).toUpperCase(Locale.ROOT);
    }

    /** Whether the next atom equals the word (any case) and is followed by a space, an end, '(' or ')'. */
    public boolean peekWord(String word) {
        int n = word.length();
        for (int i = 0; i < n; i++) {
            if (Ascii.toUpper(r.peek(i)) != word.charAt(i)) {
                return false;
            }
        }
        int after = r.peek(n);
        return after == ' ' || after == -1 || after == ')' || after == '(';
    }

    /** Consumes the word if it comes next ({@link #peekWord}). */
    public boolean tryWord(String word) {
        if (peekWord(word)) {
            for (int i = 0; i < word.length(); i++) {
                r.next();
            }
            return true;
        }
        return false;
    }

    // ------------------------------------------------------------------------------------------ strings

    /** astring: 1*ASTRING-CHAR / string, as UTF-8 text. */
    public String astring() throws ParseException, IOException {
        int c = r.peek();
        if (c == '"' || c == '{') {
            return string();
        }
        int start = r.position();
        while (Ascii.isAstringChar(r.peek())) {
            r.next();
        }
        if (r.position() == start) {
            throw ParseException.bad(r.atEndOfLine() ? "missing arguments" : "expected a string or atom");
        }
        return r.text(start);
    }

    /** string: quoted / literal, as UTF-8 text. */
    public String string() throws ParseException, IOException {
        return new String(stringBytes(), StandardCharsets.UTF_8);
    }

    /** string: quoted / literal, as bytes. */
    public byte[] stringBytes() throws ParseException, IOException {
        int c = r.peek();
        if (c == '"') {
            return quotedBytes();
        }
        if (c == '{') {
            CommandReader.Literal l = r.literalHeader();
            return r.readLiteral(l);
        }
        throw ParseException.bad(r.atEndOfLine() ? "missing arguments" : "expected a quoted string or literal");
    }

    /** nstring: NIL / string; null for NIL. */
    public String nstring() throws ParseException, IOException {
        if (tryWord("NIL")) {
            return null;
        }
        return string();
    }

    private byte[] quotedBytes() throws ParseException {
        r.next(); // opening quote
        int n = 0;
        while (true) {
            int c = r.next();
            if (c < 0) {
                throw ParseException.bad("unterminated quoted string");
            }
            if (c == '"') {
                break;
            }
            if (c == '\\') {
                c = r.next();
                if (c != '"' && c != '\\') {
                    throw ParseException.bad("invalid escape in quoted string: only \\\" and \\\\ are allowed");
                }
            } else if (c == 0) {
                throw ParseException.bad("NUL in quoted string");
            }
            if (n == scratch.length) {
                scratch = java.util.Arrays.copyOf(scratch, n * 2);
            }
            scratch[n++] = (byte) c;
        }
        return java.util.Arrays.copyOf(scratch, n);
    }

    /** Whether the session enabled UTF8=ACCEPT (RFC 6855): mailbox names are UTF-8, not modified UTF-7. */
    public void setUtf8(boolean on) {
        this.utf8 = on;
    }

    /** Whether UTF8=ACCEPT is enabled. */
    public boolean utf8() {
        return utf8;
    }

    /** Whether the session enabled IMAP4rev2: RFC 9051's grammar, which has no RECENT, NEW or OLD. */
    public void setRev2(boolean on) {
        this.rev2 = on;
    }

    /** Whether IMAP4rev2 is enabled. */
    public boolean rev2() {
        return rev2;
    }

    /** A message literal for APPEND, streamed into the spool. */
    public MessageSource messageLiteral(MessageSpool spool, long limit) throws ParseException, IOException {
        if (r.peek() != '{') {
            throw ParseException.bad(r.atEndOfLine() ? "missing message literal" : "expected a message literal");
        }
        CommandReader.Literal l = r.literalHeader();
        return r.readMessageLiteral(l, spool, limit);
    }

    // ------------------------------------------------------------------------------------------ mailbox names

    /** A mailbox name: astring, decoded from modified UTF-7; any case of INBOX becomes INBOX. */
    public String mailbox() throws ParseException, IOException {
        int c = r.peek();
        String raw = utf8 && (c == '"' || c == '{') ? strictUtf8(stringBytes()) : astring();
        if (raw.equalsIgnoreCase("INBOX")) {
            return "INBOX";
        }
        if (utf8) {
            return raw; // RFC 6855, RFC 9051 5.1: names are UTF-8 and '&' is just a character
        }
        try {
            return ModifiedUtf7.decode(raw);
        } catch (IllegalArgumentException e) {
            // well-formed IMAP, but a name no mailbox can have: NO, as Dovecot answers (a BAD makes clients give up)
            throw ParseException.no(null, "Mailbox name is not valid mUTF-7");
        }
    }

    /** A UTF-8 mailbox name, or NO (as for bad modified UTF-7) if the bytes are not UTF-8: never U+FFFD instead. */
    private static String strictUtf8(byte[] b) throws ParseException {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(b)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw ParseException.no(null, "Mailbox name is not valid UTF-8");
        }
    }

    /** A LIST pattern: 1*list-char / string, decoded from modified UTF-7 (taken as written if it is not valid). */
    public String listMailbox() throws ParseException, IOException {
        int c = r.peek();
        String raw;
        if (c == '"' || c == '{') {
            raw = string();
        } else {
            int start = r.position();
            while (Ascii.isListChar(r.peek())) {
                r.next();
            }
            if (r.position() == start) {
                throw ParseException.bad(r.atEndOfLine() ? "missing arguments" : "expected a mailbox pattern");
            }
            raw = r.text(start);
        }
        if (utf8) {
            return raw;
        }
        try {
            return ModifiedUtf7.decode(raw);
        } catch (IllegalArgumentException e) {
            return raw; // matches no mailbox: LIST answers OK with nothing, as Dovecot does
        }
    }

    // ------------------------------------------------------------------------------------------ numbers

    /** number: 1*DIGIT up to 4294967295. */
    public long number() throws ParseException {
        long v = digits(UINT32_MAX, "a number");
        return v;
    }

    /** nz-number: a number other than 0. */
    public long nzNumber() throws ParseException {
        long v = number();
        if (v == 0) {
            throw ParseException.bad("0 is not allowed here");
        }
        return v;
    }

    /** A mod-sequence value: 1*DIGIT up to 2^63-1. */
    public long modSequence() throws ParseException {
        return digits(Long.MAX_VALUE, "a mod-sequence value");
    }

    private long digits(long max, String what) throws ParseException {
        int c = r.peek();
        if (c < '0' || c > '9') {
            throw ParseException.bad(r.atEndOfLine() ? "missing arguments" : "expected " + what);
        }
        long v = 0;
        while ((c = r.peek()) >= '0' && c <= '9') {
            r.next();
            int d = c - '0';
            if (v > (max - d) / 10) {
                throw ParseException.bad(what + " is too large");
            }
            v = v * 10 + d;
        }
        return v;
    }

    /** sequence-set (RFC 3501): numbers and ranges, {@code *} for the largest; {@code $} alone (RFC 5182). */
    public SequenceSet sequenceSet() throws ParseException {
        if (tryChar('$')) {
            return SequenceSet.SAVED;
        }
        long[] pairs = new long[8];
        int n = 0;
        do {
            long a = seqNumber();
            long b = a;
            if (tryChar(':')) {
                b = seqNumber();
            }
            if (n == pairs.length) {
                pairs = java.util.Arrays.copyOf(pairs, n * 2);
            }
            pairs[n++] = a;
            pairs[n++] = b;
        } while (tryChar(','));
        return SequenceSet.of(java.util.Arrays.copyOf(pairs, n));
    }

    private long seqNumber() throws ParseException {
        if (tryChar('*')) {
            return SequenceSet.STAR;
        }
        int c = r.peek();
        if (c == '$') {
            throw ParseException.bad("$ (the saved search result) stands alone, not in a list or range");
        }
        if (c < '0' || c > '9') {
            throw ParseException.bad(r.atEndOfLine() ? "missing arguments" : "invalid sequence set");
        }
        long v = number();
        if (v == 0) {
            throw ParseException.bad("invalid sequence set: 0 is not a message number");
        }
        return v;
    }

    // ------------------------------------------------------------------------------------------ flags

    /** flag: a system flag ({@code \Seen}...) or a keyword atom; {@code \Recent} and {@code \*} are refused. */
    public void flag(int[] system, List<String> keywords) throws ParseException {
        if (tryChar('\\')) {
            String name = "\\" + atom();
            int bit;
            try {
                bit = MessageFlags.systemFlag(name);
            } catch (IllegalArgumentException e) {
                throw ParseException.bad("invalid system flag " + name);
            }
            if (bit == MessageFlags.RECENT) {
                throw ParseException.bad("\\Recent cannot be set by a client");
            }
            system[0] |= bit;
        } else {
            keywords.add(atom());
        }
    }

    /** flag-list: "(" [flag *(SP flag)] ")". */
    public MessageFlags flagList() throws ParseException {
        expect('(');
        int[] system = {0};
        List<String> keywords = new ArrayList<>();
        if (!tryChar(')')) {
            do {
                flag(system, keywords);
            } while (trySp());
            expect(')');
        }
        return MessageFlags.of(system[0], keywords);
    }

    /** Flags as STORE takes them: a flag-list or flags separated by spaces up to the end of the command. */
    public MessageFlags storeFlags() throws ParseException {
        if (peek() == '(') {
            return flagList();
        }
        int[] system = {0};
        List<String> keywords = new ArrayList<>();
        do {
            flag(system, keywords);
        } while (trySp());
        return MessageFlags.of(system[0], keywords);
    }

    // ------------------------------------------------------------------------------------------ dates

    /** date (SEARCH): date-text or "date-text": d[d]-Mon-yyyy. */
    public LocalDate date() throws ParseException {
        boolean quoted = tryChar('"');
        long day = digitsUpTo(2, "a day");
        expect('-');
        int month = month();
        expect('-');
        long year = digitsExactly(4, "a year");
        if (quoted) {
            expect('"');
        }
        try {
            return LocalDate.of((int) year, month, (int) day);
        } catch (DateTimeException e) {
            throw ParseException.bad("invalid date: " + e.getMessage());
        }
    }

    /** date-time (APPEND): "dd-Mon-yyyy hh:mm:ss +zzzz" (the day may be space-padded). */
    public OffsetDateTime dateTime() throws ParseException {
        expect('"');
        if (peek() == ' ') {
            r.next();
        }
        long day = digitsUpTo(2, "a day");
        expect('-');
        int month = month();
        expect('-');
        long year = digitsExactly(4, "a year");
        expect(' ');
        long hh = digitsExactly(2, "hours");
        expect(':');
        long mm = digitsExactly(2, "minutes");
        expect(':');
        long ss = digitsExactly(2, "seconds");
        expect(' ');
        int sign = r.next();
        if (sign != '+' && sign != '-') {
            throw ParseException.bad("invalid time zone in date-time: expected +hhmm or -hhmm");
        }
        long zone = digitsExactly(4, "a time zone");
        expect('"');
        try {
            int offsetMinutes = (int) (zone / 100 * 60 + zone % 100);
            ZoneOffset offset = ZoneOffset.ofTotalSeconds((sign == '-' ? -1 : 1) * offsetMinutes * 60);
            return OffsetDateTime.of(LocalDateTime.of((int) year, month, (int) day, (int) hh, (int) mm, (int) ss),
                    offset);
        } catch (DateTimeException e) {
            throw ParseException.bad("invalid date-time: " + e.getMessage());
        }
    }

    private int month() throws ParseException {
        int a = Ascii.toUpper(r.next());
        int b = Ascii.toUpper(r.next());
        int c = Ascii.toUpper(r.next());
        for (int i = 0; i < 12; i++) {
            String m = MONTHS[i];
            if (m.charAt(0) == a && m.charAt(1) == b && m.charAt(2) == c) {
                return i + 1;
            }
        }
        throw ParseException.bad("invalid month in date: expected Jan, Feb, ... Dec");
    }

    private long digitsUpTo(int max, String what) throws ParseException {
        long v = 0;
        int n = 0;
        int c;
        while (n < max && (c = r.peek()) >= '0' && c <= '9') {
            r.next();
            v = v * 10 + (c - '0');
            n++;
        }
        if (n == 0) {
            throw ParseException.bad("expected " + what);
        }
        return v;
    }

    private long digitsExactly(int count, String what) throws ParseException {
        long v = 0;
        for (int i = 0; i < count; i++) {
            int c = r.next();
            if (c < '0' || c > '9') {
                throw ParseException.bad("expected " + what + " (" + count + " digits)");
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
