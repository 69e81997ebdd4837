package dev.mailkit.core;

import dev.mailkit.core.internal.CrlfSegment;
import dev.mailkit.core.internal.Segment;
import dev.mailkit.core.internal.SegmentedData;
import dev.mailkit.core.internal.SegmentedInputStream;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeMessage;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bytes of one message (RFC 5322: header, blank line, body, lines ending in CRLF), readable any number of times
 * and by several threads at once, whether it is held in memory or spooled to a file.
 *
 * <p>Small messages live in memory; big ones live in a spool file (see {@link MessageSpool}) and are never loaded
 * whole: {@link #openStream()} streams them, and {@link #mimeMessage()} parses the header and MIME structure lazily
 * over a shared stream, reading a part's bytes only when the part is asked for.
 *
 * <h2>Ownership</h2>
 * A source created by a {@link MessageSpool} owns its spool file, which is deleted when the source is closed. The
 * code that receives a source (an SMTP sink, for example) may keep it beyond the call only by calling
 * {@link #retain()} and later {@link #close()} once more: the file is deleted when every holder has closed it.
 * Sources made with {@link #of(byte[])} or {@link #ofFile(Path)} own nothing that needs closing (closing them is
 * harmless).
 *
 * <p>Thread-safe.
 */
public final class MessageSource implements Closeable {
    private final SegmentedData data;
    private final List<Closeable> resources;
    private final boolean inMemory;
    private final AtomicInteger references = new AtomicInteger(1);
    private volatile MimeMessage parsed;

    private MessageSource(SegmentedData data, List<Closeable> resources, boolean inMemory) {
        this.data = data;
        this.resources = resources;
        this.inMemory = inMemory;
    }

    /** A source over bytes in memory (not copied: do not modify the array afterwards). */
    public static MessageSource of(byte[] bytes) {
        return of(bytes, 0, bytes.length);
    }

    /** A source over part of a byte array (not copied). */
    public static MessageSource of(byte[] bytes, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > bytes.length) {
            throw new IndexOutOfBoundsException("offset " + offset + ", length " + length + ", array " + bytes.length);
        }
        return new MessageSource(new SegmentedData(List.of(Segment.of(bytes, offset, length))), List.of(), true);
    }

    /**
     * A source over a message given as text, encoded as UTF-8. Lone LF line ends are converted to CRLF, so that test
     * code can write messages as ordinary Java strings.
     */
    public static MessageSource ofText(String message) {
        return of(toCrlf(message).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A source that reads an existing file. The file is not copied and is never deleted by mailkit; it must not
     * change while the source is in use.
     *
     * @throws UncheckedIOException if the file cannot be opened
     */
    public static MessageSource ofFile(Path file) {
        try {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
            return new MessageSource(new SegmentedData(List.of(Segment.of(ch, 0, ch.size()))), List.of(ch), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open message file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * A source over a region of an open file, for mailbox stores that keep messages in files (a Maildir message). A
     * file with bare LF line ends is presented with CRLF line ends, without copying: give its length in CRLF form as
     * {@code crlfLength} ({@link #crlfLength(FileChannel, long, long)} computes it; the file's own length when its lines
     * already end in CRLF). Any number of threads may read the source at once. The channel is closed when the last
     * holder closes the source; if this method throws, the caller still owns the channel.
     *
     * @param channel    the file, open for reading
     * @param start      where the message starts in the file
     * @param length     the message's length in the file
     * @param crlfLength its length with every line ending in CRLF
     * @throws IllegalArgumentException if {@code crlfLength} is impossible for {@code length} (below it, or more than
     *                                  twice it)
     */
    public static MessageSource ofFileRegion(FileChannel channel, long start, long length, long crlfLength) {
        Segment seg = crlfLength == length ? Segment.of(channel, start, length)
                : Segment.crlfView(channel, start, length, crlfLength);
        return new MessageSource(new SegmentedData(List.of(seg)), List.of(channel), false);
    }

    /**
     * The length of a file region once every bare LF in it is written as CRLF (for
     * {@link #ofFileRegion(FileChannel, long, long, long)}).
     *
     * @throws IOException if the file cannot be read
     */
    public static long crlfLength(FileChannel channel, long start, long length) throws IOException {
        return CrlfSegment.crlfLength(channel, start, length);
    }

    /**
     * Reads bytes at a position of a message kept elsewhere (a database's rows, an object store), for
     * {@link #ofRandomAccess}. Called by any number of threads at once.
     */
    @FunctionalInterface
    public interface RandomAccessReader {
        /**
         * Reads up to {@code len} bytes starting at {@code position} (0-based) into {@code b} at {@code off}.
         *
         * @return the number of bytes read, at least 1 when {@code position} is below the message's length
         * @throws IOException if the bytes cannot be read
         */
        int read(long position, byte[] b, int off, int len) throws IOException;
    }

    /**
     * A source of {@code length} bytes read on demand through {@code reader}, for mailbox stores that keep messages
     * outside files and memory (mailkit-postgres reads chunk rows): streaming it, and skipping into it for a ranged
     * read, reads only the bytes wanted. {@code resource} (may be null) is closed when the last holder closes the
     * source.
     *
     * @throws IllegalArgumentException if {@code length} is negative
     */
    public static MessageSource ofRandomAccess(long length, RandomAccessReader reader, Closeable resource) {
        if (length < 0) {
            throw new IllegalArgumentException("length must not be negative, was " + length);
        }
        java.util.Objects.requireNonNull(reader, "reader");
        Segment seg = new Segment() {
            @Override
            public long length() {
                return length;
            }

            @Override
            public int read(long position, byte[] b, int off, int len) throws IOException {
                if (position >= length) {
                    return -1;
                }
                int n = reader.read(position, b, off, (int) Math.min(len, length - position));
                if (n <= 0) {
                    throw new IOException("message ends at " + position + " of " + length + " octets");
                }
                return n;
            }
        };
        return new MessageSource(new SegmentedData(List.of(seg)), resource == null ? List.of() : List.of(resource),
                false);
    }

    /** A source over segments (the concatenation, in order), closing {@code resource} at the end; for tests. */
    static MessageSource ofSegments(List<? extends Segment> segments, Closeable resource) {
        List<Segment> copy = List.copyOf(segments);
        return new MessageSource(new SegmentedData(copy), resource == null ? List.of() : List.of(resource), false);
    }

    static MessageSource ofSpool(List<Segment> segments, List<Closeable> resources) {
        return new MessageSource(new SegmentedData(segments), resources, false);
    }

    /** The size in octets. */
    public long size() {
        return data.length();
    }

    /** Whether all bytes are held in memory (no file behind this source). */
    public boolean isInMemory() {
        return inMemory;
    }

    /** A new stream over all bytes, from the beginning. Streams are independent of each other. */
    public InputStream openStream() {
        checkOpen();
        return new SegmentedInputStream(data);
    }

    /** Copies all bytes to the stream. */
    public void writeTo(OutputStream out) throws IOException {
        checkOpen();
        byte[] buf = new byte[(int) Math.min(64 * 1024, Math.max(1, size()))];
        long pos = 0;
        int n;
        while ((n = data.read(pos, buf, 0, buf.length)) > 0) {
            out.write(buf, 0, n);
            pos += n;
        }
    }

    /**
     * All bytes as one array.
     *
     * @throws IllegalStateException if the message is larger than 2 GiB
     */
    public byte[] toByteArray() {
        checkOpen();
        if (size() > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("message of " + size() + " bytes is too large for one array; "
                    + "use openStream()");
        }
        byte[] out = new byte[(int) size()];
        try {
            int pos = 0;
            while (pos < out.length) {
                int n = data.read(pos, out, pos, out.length - pos);
                if (n <= 0) {
                    throw new IOException("message data ended early");
                }
                pos += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The whole message decoded as UTF-8 (convenient for tests and small messages). */
    public String asString() {
        return new String(toByteArray(), StandardCharsets.UTF_8);
    }

    /**
     * Only the header section (up to the first empty line), parsed. Reads no further than the header.
     *
     * @throws UncheckedIOException if the header cannot be read
     */
    public InternetHeaders headers() {
        try (InputStream in = openStream()) {
            return new InternetHeaders(in, true); // header fields in UTF-8 (RFC 6532) are text, not Latin-1
        } catch (IOException | MessagingException e) {
            throw new UncheckedIOException(new IOException("cannot parse the message header: " + e.getMessage(), e));
        }
    }

    /**
     * The message as a Jakarta Mail {@link MimeMessage}, parsed on first use and then kept. The parse is lazy:
     * part bodies are read from this source only when asked for, so a big message does not fill the heap. The
     * returned object must be treated as read-only (it is shared by every caller).
     *
     * @throws UncheckedIOException if the message cannot be parsed
     */
    public MimeMessage mimeMessage() {
        MimeMessage m = parsed;
        if (m == null) {
            synchronized (this) {
                m = parsed;
                if (m == null) {
                    checkOpen();
                    try {
                        m = new MimeMessage(SessionHolder.SESSION, new SegmentedInputStream(data));
                    } catch (MessagingException e) {
                        throw new UncheckedIOException(new IOException("cannot parse message: " + e.getMessage(), e));
                    }
                    parsed = m;
                }
            }
        }
        return m;
    }

    /**
     * A new source whose bytes are {@code prefix} followed by this source's bytes, without copying this source (for
     * prepending header fields such as {@code Received:}). The new source holds a reference to this one, which the
     * caller may close independently.
     */
    public MessageSource withPrefix(byte[] prefix) {
        retain();
        List<Segment> segs = new ArrayList<>(data.segments().size() + 1);
        segs.add(Segment.of(prefix, 0, prefix.length));
        segs.addAll(data.segments());
        return new MessageSource(new SegmentedData(segs), List.of(this), inMemory);
    }

    /**
     * A new source over {@code length} bytes of this one starting at {@code offset}, without copying (for a filter
     * that rewrites a message's header and keeps its body). The new source holds a reference to this one, which the
     * caller may close independently.
     *
     * @throws IndexOutOfBoundsException if the range is not within this source
     */
    public MessageSource slice(long offset, long length) {
        if (offset < 0 || length < 0 || offset + length > size()) {
            throw new IndexOutOfBoundsException("offset " + offset + ", length " + length + ", size " + size());
        }
        retain();
        Segment range = new Segment() {
            @Override
            public long length() {
                return length;
            }

            @Override
            public int read(long position, byte[] b, int off, int len) throws IOException {
                if (position >= length) {
                    return -1;
                }
                return data.read(offset + position, b, off, (int) Math.min(len, length - position));
            }
        };
        return new MessageSource(new SegmentedData(List.of(range)), List.of(this), inMemory);
    }

    /** Adds a holder: the underlying spool file stays until {@link #close()} has been called once more. */
    public MessageSource retain() {
        int n;
        do {
            n = references.get();
            if (n <= 0) {
                throw new IllegalStateException("message source already closed");
            }
        } while (!references.compareAndSet(n, n + 1));
        return this;
    }

    /** Releases one holder; the last release deletes the spool file, if any. Idempotent per holder. */
    @Override
    public void close() {
        if (references.decrementAndGet() == 0) {
            for (Closeable c : resources) {
                try {
                    c.close();
                } catch (IOException ignored) {
                    // nothing a caller could do: the file is in a temporary spool directory
                }
            }
        }
    }

    private void checkOpen() {
        if (references.get() <= 0) {
            throw new IllegalStateException("message source already closed (retain() it to keep it beyond the call)");
        }
    }

    static String toCrlf(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 64);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n' && (i == 0 || s.charAt(i - 1) != '\r')) {
                sb.append('\r');
            }
            sb.append(c);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "MessageSource{" + size() + " bytes" + (isInMemory() ? ", in memory}" : ", spooled}");
    }

    /**
     * One Jakarta Mail session for parsing, never modified. It allows UTF-8 in header fields (RFC 6532): the receiver
     * offers SMTPUTF8, so header fields arrive as raw UTF-8 and must be read as such, not as ISO-8859-1.
     */
    private static final class SessionHolder {
        static final Session SESSION = Session.getInstance(utf8());

        private static Properties utf8() {
            Properties p = new Properties();
            p.setProperty("mail.mime.allowutf8", "true");
            return p;
        }
    }
}
