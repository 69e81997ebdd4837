package dev.mailkit.store.maildir;

import dev.mailkit.store.Flags;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * mailkit's own state of one Maildir mailbox, the file {@code mailkit-index}: an append-only journal of text lines
 * that survives restarts and is compacted into a snapshot now and then.
 *
 * <pre>
 * mailkit-maildir-index 1 &lt;uidvalidity&gt;
 * R &lt;reserved uid&gt; &lt;reserved modseq&gt;           UIDs and MODSEQs up to these may have been handed out (fsync'd)
 * K &lt;keyword&gt;                                  a keyword defined (FLAGS order)
 * A &lt;uid&gt; &lt;modseq&gt; &lt;date&gt; &lt;size&gt; &lt;file size&gt; &lt;flags&gt; &lt;base&gt; [keyword...]
 * F &lt;uid&gt; &lt;modseq&gt; &lt;flags&gt; [keyword...]         flags changed
 * X &lt;modseq&gt; &lt;uid&gt;...                           expunged
 * C &lt;uidnext&gt; &lt;highestmodseq&gt;                   closed cleanly (only as the last line)
 * </pre>
 * {@code flags} is the system flag word (bit n = {@link dev.mailkit.store.SystemFlag} ordinal n), {@code size} the
 * CRLF size, {@code date} the internal date in epoch seconds. A torn last line (no newline) is ignored; any other
 * malformed line makes the whole index unusable (the store then rebuilds it with a new UIDVALIDITY).
 *
 * <p>The journal is written under the mailbox's write lock; not thread-safe by itself.
 */
final class IndexJournal implements AutoCloseable {
    static final String FILE = "mailkit-index";
    static final String HEADER = "mailkit-maildir-index 1 ";

    /** One message as the index last recorded it. */
    static final class Rec {
        final long uid;
        long modSeq;
        final long date;
        final long size;
        final long fileSize;
        int flags;
        List<String> keywords;
        final String base;

        Rec(long uid, long modSeq, long date, long size, long fileSize, int flags, List<String> keywords, String base) {
            this.uid = uid;
            this.modSeq = modSeq;
            this.date = date;
            this.size = size;
            this.fileSize = fileSize;
            this.flags = flags;
            this.keywords = keywords;
            this.base = base;
        }
    }

    /** What a readable index says. */
    static final class State {
        long uidValidity;
        long reservedUid;
        long reservedModSeq;
        boolean clean;
        long cleanUidNext;
        long cleanModSeq;
        long maxUid;
        long maxModSeq;
        int lines;
        final List<String> keywords = new ArrayList<>();
        final Map<String, Rec> byBase = new LinkedHashMap<>();
        final Map<Long, Rec> byUid = new HashMap<>();
    }

    /** The index exists but cannot be used. */
    static final class CorruptIndexException extends IOException {
        private static final long serialVersionUID = 1L;

        CorruptIndexException(String message) {
            super(message);
        }
    }

    private final FileChannel channel;
    private final StringBuilder pending = new StringBuilder(256);
    private int lines;

    private IndexJournal(FileChannel channel, int lines) {
        this.channel = channel;
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
        try (ch; BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch),
                StandardCharsets.UTF_8), 1 << 16)) {
            String header = in.readLine();
            if (header == null || !header.startsWith(HEADER)) {
                throw new CorruptIndexException(file + " does not start with '" + HEADER.trim() + "'");
            }
            st.uidValidity = parseLong(header.substring(HEADER.length()), file);
            if (st.uidValidity < 1 || st.uidValidity > 0xFFFF_FFFFL) {
                throw new CorruptIndexException(file + ": UIDVALIDITY out of range");
            }
            boolean complete = endsWithNewline(ch);
            String line = in.readLine();
            int lineNo = 1;
            while (line != null) {
                String next = in.readLine();
                lineNo++;
                if (next == null && !complete) {
                    break; // a torn last line: the write that was cut off never completed
                }
                try {
                    apply(st, line);
                } catch (RuntimeException e) {
                    throw new CorruptIndexException(file + " line " + lineNo + " is malformed: " + e);
                }
                st.lines++;
                line = next;
            }
        }
        return st;
    }

    private static boolean endsWithNewline(FileChannel ch) throws IOException {
        long size = ch.size();
        if (size == 0) {
            return true;
        }
        ByteBuffer b = ByteBuffer.allocate(1);
        ch.read(b, size - 1);
        return b.get(0) == '\n';
    }

    private static long parseLong(String s, Path file) throws CorruptIndexException {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new CorruptIndexException(file + ": bad number '" + s + "'");
        }
    }

    private static void apply(State st, String line) {
        String[] t = line.split(" ");
        st.clean = false;
        switch (t[0]) {
            case "R":
                st.reservedUid = Math.max(st.reservedUid, num(t[1]));
                st.reservedModSeq = Math.max(st.reservedModSeq, num(t[2]));
                break;
            case "K":
                st.keywords.add(keyword(t[1]));
                break;
            case "A": {
                long uid = num(t[1]);
                if (uid <= st.maxUid || uid > 0xFFFF_FFFFL) {
                    throw new IllegalArgumentException("UID " + uid + " is not above " + st.maxUid);
                }
                String base = t[7];
                if (!MaildirFileName.isSafe(base) || st.byBase.containsKey(base)) {
                    throw new IllegalArgumentException("bad or repeated file name " + base);
                }
                Rec r = new Rec(uid, num(t[2]), num(t[3]), num(t[4]), num(t[5]), flags(t[6]), keywords(t, 8), base);
                st.byBase.put(base, r);
                st.byUid.put(uid, r);
                st.maxUid = uid;
                st.maxModSeq = Math.max(st.maxModSeq, r.modSeq);
                break;
            }
            case "F": {
                Rec r = st.byUid.get(num(t[1]));
                long modSeq = num(t[2]);
                int flags = flags(t[3]);
                List<String> kw = keywords(t, 4);
                if (r != null) {
                    r.modSeq = modSeq;
                    r.flags = flags;
                    r.keywords = kw;
                }
                st.maxModSeq = Math.max(st.maxModSeq, modSeq);
                break;
            }
            case "X": {
                st.maxModSeq = Math.max(st.maxModSeq, num(t[1]));
                for (int i = 2; i < t.length; i++) {
                    Rec r = st.byUid.remove(num(t[i]));
                    if (r != null) {
                        st.byBase.remove(r.base);
                    }
                }
                break;
            }
            case "C":
                st.cleanUidNext = num(t[1]);
                st.cleanModSeq = num(t[2]);
                st.clean = true;
                break;
            default:
                throw new IllegalArgumentException("unknown record '" + t[0] + "'");
        }
    }

    private static long num(String s) {
        long v = Long.parseLong(s);
        if (v < 0) {
            throw new IllegalArgumentException("negative number " + s);
        }
        return v;
    }

    private static int flags(String s) {
        int v = Integer.parseInt(s);
        if (v < 0 || v > 31) {
            throw new IllegalArgumentException("bad flags " + s);
        }
        return v;
    }

    private static String keyword(String s) {
        if (!Flags.isValidKeyword(s)) {
            throw new IllegalArgumentException("bad keyword " + s);
        }
        return s;
    }

    private static List<String> keywords(String[] t, int from) {
        if (t.length <= from) {
            return List.of();
        }
        List<String> kw = new ArrayList<>(t.length - from);
        for (int i = from; i < t.length; i++) {
            kw.add(keyword(t[i]));
        }
        return kw;
    }

    // ---------------------------------------------------------------------------------------------- writing

    /** Opens an existing index for appending. */
    static IndexJournal append(Path file, int lines) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND,
                LinkOption.NOFOLLOW_LINKS);
        return new IndexJournal(ch, lines);
    }

    /**
     * Writes a complete index (header plus lines) to a temporary file and renames it over {@code file}, durably,
     * and returns it open for appending.
     */
    static IndexJournal create(Path file, long uidValidity, CharSequence body, int lines, boolean sync)
            throws IOException {
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
        // the channel, opened for writing, now refers to the renamed file; position is its end
        return new IndexJournal(ch, lines);
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
        if (pending.length() == 0) {
            return;
        }
        byte[] data = pending.toString().getBytes(StandardCharsets.UTF_8);
        pending.setLength(0);
        Fs.writeFully(channel, data);
    }

    /** Writes the queued lines and makes the file durable. */
    void sync() throws IOException {
        flush();
        channel.force(false);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** Appends a record line for a message. */
    static void formatAdd(StringBuilder sb, long uid, long modSeq, long date, long size, long fileSize, int flags,
                          String base, List<String> keywords) {
        sb.append("A ").append(uid).append(' ').append(modSeq).append(' ').append(date).append(' ').append(size)
                .append(' ').append(fileSize).append(' ').append(flags).append(' ').append(base);
        for (String k : keywords) {
            sb.append(' ').append(k);
        }
        sb.append('\n');
    }
}
