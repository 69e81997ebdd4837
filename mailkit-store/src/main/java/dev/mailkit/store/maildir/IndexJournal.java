package dev.mailkit.store.maildir;

import dev.mailkit.store.Flags;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * mailkit's own state of one Maildir mailbox, the file {@code mailkit-index}: an append-only journal of text lines
 * that survives restarts and is compacted into a snapshot now and then.
 *
 * <pre>
 * mailkit-maildir-index 1 &lt;uidvalidity&gt;
 * R &lt;reserved uid&gt; &lt;reserved modseq&gt;           UIDs and MODSEQs up to these may have been handed out (fsync'd)
 * K &lt;keyword&gt;                                  a keyword defined (FLAGS order)
 * A &lt;uid&gt; &lt;modseq&gt; &lt;date&gt; &lt;size&gt; &lt;file size&gt; &lt;flags&gt; &lt;where&gt; &lt;base&gt; [keyword...]
 * F &lt;uid&gt; &lt;modseq&gt; &lt;flags&gt; &lt;where&gt; [keyword...]  flags changed
 * X &lt;modseq&gt; &lt;uid&gt;...                           expunged
 * C &lt;uidnext&gt; &lt;highestmodseq&gt; &lt;new/ mtime&gt; &lt;cur/ mtime&gt; [&lt;first recent uid&gt;]   closed cleanly
 *                                                (only as the last line)
 * </pre>
 * {@code flags} is the system flag word (bit n = {@link dev.mailkit.store.SystemFlag} ordinal n), {@code size} the
 * CRLF size, {@code date} the internal date in epoch seconds, {@code where} the file's place: {@code N} for
 * {@code new/}, {@code C} plus its info letters for {@code cur/} ({@code CFS} is {@code cur/<base>:2,FS}). The
 * mtimes (nanoseconds, or -1) of a clean stop are those of directories whose listing matched the index exactly, so
 * that the next start may skip listing them; the first recent UID is the first message no session had been told of
 * (it and those after it are still {@code \Recent} after the restart, as Dovecot keeps them; absent in indexes
 * of earlier versions: none is recent then). A torn last line (no newline) is ignored; any other
 * malformed line makes the whole index unusable (the store then rebuilds it with a new UIDVALIDITY).
 *
 * <p>The file is opened for each write and closed again, so that a loaded mailbox holds no descriptor while it is not
 * being written (the number of open files does not grow with the mailboxes loaded, and an idle store keeps no file
 * open for writing, which a read-only remount requires). The journal is written under the mailbox's write lock; not
 * thread-safe by itself.
 */
final class IndexJournal implements AutoCloseable {
    static final String FILE = "mailkit-index";
    static final String HEADER = "mailkit-maildir-index 1 ";

    /**
     * What a readable index says: the messages in ascending UID order, in parallel arrays (a big mailbox loads
     * without an object per message), with expunged ones marked dead.
     */
    static final class State {
        long uidValidity;
        long reservedUid;
        long reservedModSeq;
        boolean clean;
        /** Records whose sizes were impossible or disagreed with their file name: -1, to be measured again. */
        int unsized;
        long cleanUidNext;
        long cleanModSeq;
        long cleanNewStamp = -1;
        long cleanCurStamp = -1;
        /** The first UID that was still {@code \Recent} at the clean stop, or -1 if the index does not say. */
        long cleanFirstRecent = -1;
        /** The index file's mtime when it was read (nanoseconds). */
        long fileStamp = -1;
        long maxUid;
        long maxModSeq;
        int lines;
        final List<String> keywords = new ArrayList<>();
        int count;
        long[] uid = new long[64];
        long[] modSeq = new long[64];
        long[] date = new long[64];
        long[] size = new long[64];
        long[] fileSize = new long[64];
        int[] flags = new int[64];
        String[] base = new String[64];
        String[] info = new String[64]; // null: in new/
        List<?>[] kw = new List<?>[64];
        boolean[] dead = new boolean[64];

        /** The keywords of record i. */
        @SuppressWarnings("unchecked")
        List<String> keywordsOf(int i) {
            List<?> k = kw[i];
            return k == null ? List.of() : (List<String>) k;
        }

        private int find(long u) {
            int lo = 0;
            int hi = count - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                long v = uid[mid];
                if (v < u) {
                    lo = mid + 1;
                } else if (v > u) {
                    hi = mid - 1;
                } else {
                    return dead[mid] ? -1 : mid;
                }
            }
            return -1;
        }

        private void add(long u, long m, long d, long s, long fs, int f, String where, String b, List<String> k) {
            if (count == uid.length) {
                int n = count * 2;
                uid = Arrays.copyOf(uid, n);
                modSeq = Arrays.copyOf(modSeq, n);
                date = Arrays.copyOf(date, n);
                size = Arrays.copyOf(size, n);
                fileSize = Arrays.copyOf(fileSize, n);
                flags = Arrays.copyOf(flags, n);
                base = Arrays.copyOf(base, n);
                info = Arrays.copyOf(info, n);
                kw = Arrays.copyOf(kw, n);
                dead = Arrays.copyOf(dead, n);
            }
            uid[count] = u;
            modSeq[count] = m;
            date[count] = d;
            size[count] = s;
            fileSize[count] = fs;
            flags[count] = f;
            base[count] = b;
            info[count] = where;
            kw[count] = k.isEmpty() ? null : k;
            count++;
        }
    }

    /** The index exists but cannot be used. */
    static final class CorruptIndexException extends IOException {
        private static final long serialVersionUID = 1L;

        CorruptIndexException(String message) {
            super(message);
        }
    }

    private final Supplier<Path> file;
    private final StringBuilder pending = new StringBuilder(256);
    private int lines;
    /** Lines were written since the last fsync. */
    private boolean unsynced;

    private IndexJournal(Supplier<Path> file, int lines) {
        this.file = file;
        this.lines = lines;
    }

    /**
     * Reads an index.
     *
     * @return null if there is none
     * @throws CorruptIndexException if it cannot be used
     */
    static State read(Path file) throws IOException {
        FileChannel ch;
        try {
            ch = Fs.openRead(file);
        } catch (NoSuchFileException e) {
            return null;
        }
        State st = new State();
        st.fileStamp = Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).to(java.util.concurrent.TimeUnit.NANOSECONDS);
        try (ch) {
            LineReader in = new LineReader(ch);
            if (!in.next() || !in.startsWith(HEADER)) {
                throw new CorruptIndexException(file + " does not start with '" + HEADER.trim() + "'");
            }
            in.pos = HEADER.length();
            try {
                st.uidValidity = in.number();
            } catch (IllegalArgumentException e) {
                throw new CorruptIndexException(file + ": bad UIDVALIDITY in the header (" + e.getMessage() + ")");
            }
            if (st.uidValidity < 1 || st.uidValidity > 0xFFFF_FFFFL || !in.atEnd()) {
                throw new CorruptIndexException(file + ": bad UIDVALIDITY in the header");
            }
            int lineNo = 1;
            while (in.next()) {
                lineNo++;
                if (!in.terminated) {
                    break; // a torn last line: the write that was cut off never completed
                }
                try {
                    apply(st, in);
                } catch (RuntimeException e) {
                    throw new CorruptIndexException(file + " line " + lineNo + " is malformed: " + e.getMessage());
                }
                st.lines++;
            }
        }
        return st;
    }

    /** Reads lines of ASCII text in big chunks and parses tokens in place. Not thread-safe. */
    private static final class LineReader {
        private final FileChannel ch;
        private byte[] buf = new byte[1 << 16];
        private int start;
        private int end; // valid bytes in buf
        private boolean eof;
        byte[] line;
        int lineStart;
        int lineEnd;
        int pos;
        boolean terminated;

        LineReader(FileChannel ch) {
            this.ch = ch;
        }

        boolean next() throws IOException {
            while (true) {
                for (int i = start; i < end; i++) {
                    if (buf[i] == '\n') {
                        line = buf;
                        lineStart = start;
                        lineEnd = i;
                        pos = start;
                        terminated = true;
                        start = i + 1;
                        return true;
                    }
                }
                if (eof) {
                    if (start < end) {
                        line = buf;
                        lineStart = start;
                        lineEnd = end;
                        pos = start;
                        terminated = false;
                        start = end;
                        return true;
                    }
                    return false;
                }
                if (start > 0) {
                    System.arraycopy(buf, start, buf, 0, end - start);
                    end -= start;
                    start = 0;
                }
                if (end == buf.length) {
                    if (buf.length >= 1 << 24) {
                        throw new CorruptIndexException("a line longer than " + buf.length + " octets");
                    }
                    buf = Arrays.copyOf(buf, buf.length * 2);
                }
                int n = ch.read(java.nio.ByteBuffer.wrap(buf, end, buf.length - end));
                if (n < 0) {
                    eof = true;
                } else {
                    end += n;
                }
            }
        }

        boolean startsWith(String prefix) {
            if (lineEnd - lineStart < prefix.length()) {
                return false;
            }
            for (int i = 0; i < prefix.length(); i++) {
                if (line[lineStart + i] != prefix.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        boolean atEnd() {
            return pos >= lineEnd;
        }

        char kind() {
            if (lineEnd - lineStart < 2 || line[lineStart + 1] != ' ') {
                throw new IllegalArgumentException("no record type");
            }
            pos = lineStart + 2;
            return (char) line[lineStart];
        }

        long number() {
            long v = 0;
            int digits = 0;
            while (pos < lineEnd && line[pos] != ' ') {
                byte c = line[pos++];
                if (c < '0' || c > '9' || digits == 18) {
                    throw new IllegalArgumentException("bad number");
                }
                v = v * 10 + (c - '0');
                digits++;
            }
            if (digits == 0) {
                throw new IllegalArgumentException("missing number");
            }
            if (pos < lineEnd) {
                pos++;
            }
            return v;
        }

        String token() {
            int s = pos;
            while (pos < lineEnd && line[pos] != ' ') {
                pos++;
            }
            if (pos == s) {
                throw new IllegalArgumentException("missing word");
            }
            String t = new String(line, s, pos - s, StandardCharsets.ISO_8859_1);
            if (pos < lineEnd) {
                pos++;
            }
            return t;
        }

        List<String> keywords() {
            if (atEnd()) {
                return List.of();
            }
            List<String> kw = new ArrayList<>(2);
            while (!atEnd()) {
                String k = token();
                if (!Flags.isValidKeyword(k)) {
                    throw new IllegalArgumentException("bad keyword " + k);
                }
                kw.add(k);
            }
            return kw;
        }
    }

    /** A {@code where} token: null for new/, else the info letters of a file in cur/. */
    private static String where(String token) {
        if (token.equals("N")) {
            return null;
        }
        if (token.charAt(0) != 'C') {
            throw new IllegalArgumentException("bad location " + token);
        }
        for (int i = 1; i < token.length(); i++) {
            char c = token.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
                throw new IllegalArgumentException("bad location " + token);
            }
        }
        return MaildirFileName.info(token.substring(1));
    }

    /** The {@code where} token of a location. */
    static String whereToken(String info) {
        return info == null ? "N" : "C" + info;
    }

    private static long signed(String s) {
        return s.equals("-1") ? -1 : Long.parseLong(s);
    }

    /**
     * Whether a message's sizes as a record gives them are possible (the CRLF size is the file's plus one octet at
     * most per octet, for bare LFs) and agree with its file name's {@code ,S=} and {@code ,W=}. A record damaged
     * there would make every read of the message fail ("changed by another program?") or read it wrong; its sizes are
     * measured from the file again instead (so is a file whose name another program wrote with wrong sizes).
     */
    private static boolean plausibleSizes(long size, long fileSize, String base) {
        if (size < fileSize || size > 2 * fileSize) {
            return false;
        }
        MaildirFileName.Parsed named = MaildirFileName.parse(base);
        return named == null || (named.size < 0 || named.size == fileSize)
                && (named.crlfSize < 0 || named.crlfSize == size);
    }

    private static void apply(State st, LineReader in) {
        char kind = in.kind();
        st.clean = false;
        switch (kind) {
            case 'R':
                st.reservedUid = Math.max(st.reservedUid, in.number());
                st.reservedModSeq = Math.max(st.reservedModSeq, in.number());
                break;
            case 'K': {
                String k = in.token();
                if (!Flags.isValidKeyword(k)) {
                    throw new IllegalArgumentException("bad keyword " + k);
                }
                st.keywords.add(k);
                break;
            }
            case 'A': {
                long uid = in.number();
                if (uid <= st.maxUid || uid > 0xFFFF_FFFFL) {
                    throw new IllegalArgumentException("UID " + uid + " is not above " + st.maxUid);
                }
                long modSeq = in.number();
                long date = in.number();
                long size = in.number();
                long fileSize = in.number();
                long flags = in.number();
                String where = where(in.token());
                String base = in.token();
                if (flags > 31 || !MaildirFileName.isSafe(base)) {
                    throw new IllegalArgumentException("bad flags or file name");
                }
                if (!plausibleSizes(size, fileSize, base)) {
                    size = -1; // measured again from the file
                    fileSize = -1;
                    st.unsized++;
                }
                st.add(uid, modSeq, date, size, fileSize, (int) flags, where, base, in.keywords());
                st.maxUid = uid;
                st.maxModSeq = Math.max(st.maxModSeq, modSeq);
                break;
            }
            case 'F': {
                int i = st.find(in.number());
                long modSeq = in.number();
                long flags = in.number();
                if (flags > 31) {
                    throw new IllegalArgumentException("bad flags");
                }
                String where = where(in.token());
                List<String> kw = in.keywords();
                if (i >= 0) {
                    st.modSeq[i] = modSeq;
                    st.flags[i] = (int) flags;
                    st.info[i] = where;
                    st.kw[i] = kw.isEmpty() ? null : kw;
                }
                st.maxModSeq = Math.max(st.maxModSeq, modSeq);
                break;
            }
            case 'X': {
                st.maxModSeq = Math.max(st.maxModSeq, in.number());
                while (!in.atEnd()) {
                    int i = st.find(in.number());
                    if (i >= 0) {
                        st.dead[i] = true;
                    }
                }
                break;
            }
            case 'C':
                st.cleanUidNext = in.number();
                st.cleanModSeq = in.number();
                st.cleanNewStamp = signed(in.token());
                st.cleanCurStamp = signed(in.token());
                st.cleanFirstRecent = in.atEnd() ? -1 : in.number();
                st.clean = true;
                break;
            default:
                throw new IllegalArgumentException("unknown record '" + kind + "'");
        }
        if (!in.atEnd()) {
            throw new IllegalArgumentException("trailing text");
        }
    }

    // ---------------------------------------------------------------------------------------------- writing

    /**
     * Appends to an existing index from now on, the file where {@code file} says at each write (the mailbox's
     * directory may be renamed meanwhile).
     */
    static IndexJournal append(Supplier<Path> file, int lines) throws IOException {
        if (!Files.isRegularFile(file.get(), LinkOption.NOFOLLOW_LINKS)) {
            throw new NoSuchFileException(file.get().toString(), null, "no index to append to");
        }
        return new IndexJournal(file, lines);
    }

    /**
     * Writes a complete index (header plus lines) to a temporary file and renames it over {@code file}, durably,
     * and returns the journal that appends to it.
     */
    static IndexJournal create(Supplier<Path> at, long uidValidity, CharSequence body, int lines, boolean sync)
            throws IOException {
        Path file = at.get();
        Path tmp = file.resolveSibling(FILE + ".tmp");
        Files.deleteIfExists(tmp);
        byte[] data = (HEADER + uidValidity + "\n" + body).getBytes(StandardCharsets.UTF_8);
        FileChannel ch = Fs.createNew(tmp);
        try {
            Fs.writeFully(ch, data);
            if (sync) {
                ch.force(false);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            if (sync) {
                Fs.fsyncDirectory(file.getParent());
            }
        } catch (IOException | RuntimeException e) {
            ch.close();
            Files.deleteIfExists(tmp);
            throw e;
        }
        ch.close();
        return new IndexJournal(at, lines);
    }

    /** The number of record lines in the file (to decide when to compact). */
    int lines() {
        return lines;
    }

    /** Queues a record line (written by {@link #flush()}). */
    StringBuilder line() {
        lines++;
        return pending;
    }

    /** Writes the queued lines. */
    void flush() throws IOException {
        write(false);
    }

    /** Writes the queued lines and makes the file durable (also lines written by {@link #flush()} before). */
    void sync() throws IOException {
        write(true);
    }

    private void write(boolean force) throws IOException {
        if (pending.length() == 0 && !(force && unsynced)) {
            return;
        }
        byte[] data = pending.toString().getBytes(StandardCharsets.UTF_8);
        pending.setLength(0);
        try (FileChannel ch = FileChannel.open(file.get(), StandardOpenOption.WRITE, StandardOpenOption.APPEND,
                LinkOption.NOFOLLOW_LINKS)) {
            unsynced = true;
            long start = ch.size();
            try {
                Fs.writeFully(ch, data);
            } catch (IOException e) {
                // a line cut short (no space left, read-only) must not stay in front of the next one: a malformed
                // line other than the last makes the whole index unusable
                try {
                    ch.truncate(start);
                } catch (IOException again) {
                    e.addSuppressed(again);
                }
                throw e;
            }
            if (force) {
                ch.force(false);
                unsynced = false;
            }
        }
    }

    /** Nothing is held open between writes; kept so that a journal reads as the resource it stands for. */
    @Override
    public void close() {
        // nothing open
    }

    /** Appends a record line for a message. */
    static void formatAdd(StringBuilder sb, long uid, long modSeq, long date, long size, long fileSize, int flags,
                          String info, String base, List<String> keywords) {
        sb.append("A ").append(uid).append(' ').append(modSeq).append(' ').append(date).append(' ').append(size)
                .append(' ').append(fileSize).append(' ').append(flags).append(' ').append(whereToken(info))
                .append(' ').append(base);
        for (String k : keywords) {
            sb.append(' ').append(k);
        }
        sb.append('\n');
    }
}
