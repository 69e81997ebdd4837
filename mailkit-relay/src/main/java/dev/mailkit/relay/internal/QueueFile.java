package dev.mailkit.relay.internal;

import dev.mailkit.core.MailAddress;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The format of one queue file: a fixed-width first line {@code MKQ2 <header length> <content length> <crc32>}, the
 * envelope as UTF-8 lines {@code key value}, the message content (CRLF line ends), then state records appended over
 * the message's life, one per line: {@code <crc32> <type> <fields>}. The first line's CRC-32 (8 hex digits) covers
 * the envelope and the content: a file whose envelope or content does not match it is damaged and refused, never
 * delivered changed. A record whose checksum or line end is missing was torn by a crash and is cut off on recovery,
 * with everything after it. Files of the earlier format ({@code MKQ1 <header length> <content length>}, no
 * checksum) are still read, without that check.
 *
 * <p>Record types: {@code D idx millis reply} (recipient delivered), {@code B idx millis status reply} (recipient
 * bounced, its DSN already queued), {@code T millis attempts next} (attempt count and next attempt; not synced),
 * {@code H millis} (held), {@code U millis} (released).
 */
public final class QueueFile {
    static final String MAGIC = "MKQ2";
    static final int FIRST_LINE = 42; // "MKQ2 " + 10 digits + " " + 16 digits + " " + 8 hex digits + "\n"
    /** The format before the checksum (read, never written). */
    static final String MAGIC_V1 = "MKQ1";
    static final int FIRST_LINE_V1 = 33; // "MKQ1 " + 10 digits + " " + 16 digits + "\n"

    private QueueFile() {
    }

    /** The envelope part of a queue file. */
    public static final class Meta {
        public final String id;
        public final Instant created;
        public final MailAddress reversePath;
        public final Map<String, String> mailParameters;
        public final List<MailAddress> recipients;
        /** Per recipient (same order): its DSN parameters (NOTIFY, ORCPT), usually none. */
        public final List<Map<String, String>> recipientParameters;
        public final String origin;
        public final boolean notification;

        public Meta(String id, Instant created, MailAddress reversePath, Map<String, String> mailParameters,
                    List<MailAddress> recipients, List<Map<String, String>> recipientParameters, String origin,
                    boolean notification) {
            this.id = id;
            this.created = created;
            this.reversePath = reversePath;
            this.mailParameters = Map.copyOf(mailParameters);
            this.recipients = List.copyOf(recipients);
            List<Map<String, String>> rp = new ArrayList<>(recipients.size());
            for (int i = 0; i < recipients.size(); i++) {
                rp.add(recipientParameters == null || i >= recipientParameters.size()
                        || recipientParameters.get(i) == null ? Map.of() : Map.copyOf(recipientParameters.get(i)));
            }
            this.recipientParameters = List.copyOf(rp);
            this.origin = origin;
            this.notification = notification;
        }
    }

    /** The first line and the envelope; the content length is patched in once known. */
    static byte[] head(Meta m) {
        byte[] header = envelope(m);
        byte[] first = firstLine(header.length, 0, 0);
        byte[] out = new byte[first.length + header.length];
        System.arraycopy(first, 0, out, 0, first.length);
        System.arraycopy(header, 0, out, first.length, header.length);
        return out;
    }

    /** The envelope as UTF-8 text lines (also the envelope of a message record in the log). */
    static byte[] envelope(Meta m) {
        StringBuilder h = new StringBuilder(256);
        h.append("id ").append(m.id).append('\n');
        h.append("created ").append(m.created.toEpochMilli()).append('\n');
        h.append("from ").append(m.reversePath == null ? "" : m.reversePath.toString()).append('\n');
        for (Map.Entry<String, String> e : m.mailParameters.entrySet()) {
            h.append("param ").append(e.getKey()).append('=').append(e.getValue()).append('\n');
        }
        for (MailAddress r : m.recipients) {
            h.append("rcpt ").append(r).append('\n');
        }
        for (int i = 0; i < m.recipientParameters.size(); i++) {
            for (Map.Entry<String, String> e : m.recipientParameters.get(i).entrySet()) {
                h.append("rparam ").append(i).append(' ').append(e.getKey()).append('=').append(oneLine(e.getValue()))
                        .append('\n');
            }
        }
        h.append("origin ").append(oneLine(m.origin)).append('\n');
        h.append("notification ").append(m.notification ? 1 : 0).append('\n');
        return h.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The first line; {@code crc} is the CRC-32 of the envelope and content bytes. */
    static byte[] firstLine(int headerLength, long contentLength, long crc) {
        String s = MAGIC + " " + pad(headerLength, 10) + " " + pad(contentLength, 16) + " " + hex8(crc) + "\n";
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String pad(long n, int width) {
        String d = Long.toString(n);
        return "0".repeat(Math.max(0, width - d.length())) + d;
    }

    private static String hex8(long crc) {
        String h = Long.toHexString(crc);
        return "0".repeat(8 - h.length()) + h;
    }

    /** A state record line with its checksum. */
    static byte[] record(String body) {
        String b = oneLine(body);
        CRC32 crc = new CRC32();
        byte[] bytes = b.getBytes(StandardCharsets.UTF_8);
        crc.update(bytes);
        String line = hex8(crc.getValue()) + " " + b + "\n";
        return line.getBytes(StandardCharsets.UTF_8);
    }

    private static String oneLine(String s) {
        return s.replace('\n', ' ').replace('\r', ' ');
    }

    /** What a queue file holds, with its records applied. */
    public static final class Parsed {
        public Meta meta;
        public long contentOffset;
        public long contentLength;
        public final List<String> records = new ArrayList<>();
        /** The end of the last intact record: anything after it is a torn write. */
        public long validEnd;
        public long fileLength;
    }

    /**
     * Reads a queue file.
     *
     * @throws IOException if the file is not a complete queue file (a queue file is renamed into place only once
     *                     complete, so this means damage from outside)
     */
    public static Parsed read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Parsed p = new Parsed();
            p.fileLength = ch.size();
            ByteBuffer first = ByteBuffer.allocate(FIRST_LINE);
            first.limit(FIRST_LINE_V1);
            readFully(ch, first, 0);
            boolean v1 = new String(first.array(), 0, 5, StandardCharsets.US_ASCII).equals(MAGIC_V1 + " ");
            if (!v1) {
                first.limit(FIRST_LINE);
                readFully(ch, first, 0);
            }
            int firstLength = v1 ? FIRST_LINE_V1 : FIRST_LINE;
            String fl = new String(first.array(), 0, firstLength, StandardCharsets.US_ASCII);
            if (!fl.startsWith((v1 ? MAGIC_V1 : MAGIC) + " ") || fl.charAt(firstLength - 1) != '\n'
                    || fl.charAt(15) != ' ' || !v1 && fl.charAt(32) != ' ') {
                throw new IOException(file + " is not a mailkit queue file");
            }
            int headerLength;
            long crc = -1;
            try {
                headerLength = Integer.parseInt(fl.substring(5, 15));
                p.contentLength = Long.parseLong(fl.substring(16, 32));
                if (!v1) {
                    crc = Long.parseLong(fl.substring(33, 41), 16);
                }
            } catch (NumberFormatException e) {
                throw new IOException(file + ": malformed first line", e);
            }
            if (headerLength < 0 || headerLength > 16 * 1024 * 1024 || p.contentLength < 0
                    || firstLength + headerLength + p.contentLength > p.fileLength) {
                throw new IOException(file + " is shorter than its header says (" + p.fileLength + " bytes)");
            }
            ByteBuffer hb = ByteBuffer.allocate(headerLength);
            readFully(ch, hb, firstLength);
            p.contentOffset = firstLength + headerLength;
            if (!v1) {
                verify(ch, hb.array(), p.contentOffset, p.contentLength, crc, file);
            }
            p.meta = parseHeader(new String(hb.array(), StandardCharsets.UTF_8), file);
            long pos = p.contentOffset + p.contentLength;
            p.validEnd = pos;
            long remaining = p.fileLength - pos;
            if (remaining > 0) {
                if (remaining > 64L * 1024 * 1024) {
                    throw new IOException(file + ": implausibly many state records");
                }
                ByteBuffer rb = ByteBuffer.allocate((int) remaining);
                readFully(ch, rb, pos);
                byte[] all = rb.array();
                int start = 0;
                for (int i = 0; i < all.length; i++) {
                    if (all[i] == '\n') {
                        String line = new String(all, start, i - start, StandardCharsets.UTF_8);
                        if (!intact(line)) {
                            break;
                        }
                        p.records.add(line.substring(9));
                        start = i + 1;
                        p.validEnd = pos + start;
                    }
                }
            }
            return p;
        }
    }

    /** Checks the first line's CRC-32 against the envelope and the content (read in 64 KiB pieces). */
    private static void verify(FileChannel ch, byte[] header, long contentOffset, long contentLength, long expected,
                               Path file) throws IOException {
        CRC32 crc = new CRC32();
        crc.update(header);
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(64 * 1024, Math.max(1, contentLength)));
        long pos = contentOffset;
        long end = contentOffset + contentLength;
        while (pos < end) {
            buf.clear();
            buf.limit((int) Math.min(buf.capacity(), end - pos));
            readFully(ch, buf, pos);
            crc.update(buf.array(), 0, buf.limit());
            pos += buf.limit();
        }
        if (crc.getValue() != expected) {
            throw new IOException(file + ": the envelope or content does not match the file's checksum (damaged)");
        }
    }

    private static boolean intact(String line) {
        if (line.length() < 10 || line.charAt(8) != ' ') {
            return false;
        }
        CRC32 crc = new CRC32();
        crc.update(line.substring(9).getBytes(StandardCharsets.UTF_8));
        return hex8(crc.getValue()).equals(line.substring(0, 8));
    }

    static Meta parseHeader(String text, Object file) throws IOException {
        String id = null;
        Instant created = null;
        MailAddress from = null;
        boolean fromSeen = false;
        Map<String, String> params = new LinkedHashMap<>();
        List<MailAddress> rcpts = new ArrayList<>();
        Map<Integer, Map<String, String>> rparams = new LinkedHashMap<>();
        String origin = "";
        boolean notification = false;
        try {
            for (String line : text.split("\n")) {
                if (line.isEmpty()) {
                    continue;
                }
                int sp = line.indexOf(' ');
                String key = sp < 0 ? line : line.substring(0, sp);
                String value = sp < 0 ? "" : line.substring(sp + 1);
                switch (key) {
                    case "id":
                        id = value;
                        break;
                    case "created":
                        created = Instant.ofEpochMilli(Long.parseLong(value));
                        break;
                    case "from":
                        fromSeen = true;
                        from = value.isEmpty() ? null : MailAddress.parse(value);
                        break;
                    case "param":
                        int eq = value.indexOf('=');
                        params.put(eq < 0 ? value : value.substring(0, eq), eq < 0 ? "" : value.substring(eq + 1));
                        break;
                    case "rcpt":
                        rcpts.add(MailAddress.parse(value));
                        break;
                    case "rparam": // "<recipient index> KEY=VALUE"
                        int sp2 = value.indexOf(' ');
                        int eq2 = value.indexOf('=', sp2 + 1);
                        rparams.computeIfAbsent(Integer.parseInt(value.substring(0, sp2)), k -> new LinkedHashMap<>())
                                .put(value.substring(sp2 + 1, eq2), value.substring(eq2 + 1));
                        break;
                    case "origin":
                        origin = value;
                        break;
                    case "notification":
                        notification = value.equals("1");
                        break;
                    default:
                        break; // a newer version's field: ignored
                }
            }
        } catch (RuntimeException e) {
            throw new IOException(file + ": malformed envelope: " + e.getMessage(), e);
        }
        if (id == null || created == null || !fromSeen || rcpts.isEmpty()) {
            throw new IOException(file + ": incomplete envelope (id, created, from and rcpt are required)");
        }
        List<Map<String, String>> rp = new ArrayList<>();
        for (int i = 0; i < rcpts.size(); i++) {
            rp.add(rparams.getOrDefault(i, Map.of()));
        }
        return new Meta(id, created, from, params, rcpts, rp, origin, notification);
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            int n = ch.read(b, pos + b.position());
            if (n < 0) {
                throw new IOException("unexpected end of queue file");
            }
        }
    }

    /** Debugging aid: the records as text. */
    static String describe(Parsed p) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (String r : p.records) {
            b.writeBytes((r + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return b.toString(StandardCharsets.UTF_8);
    }
}
