package dev.mailkit.store.mime;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The streaming structure parser behind {@link MessageStructure#parse(InputStream)}: one pass, line by line, over a
 * fixed 64 KiB buffer, with absolute offsets. Each part parser returns positioned at the start of the line that
 * ended it (a boundary of an enclosing multipart, not consumed) or at the end of input. Not thread-safe; one
 * instance per message.
 */
final class StructureParser {
    private static final int BUFFER_SIZE = 64 * 1024;
    private static final int MAX_FIELD_VALUE = 64 * 1024;
    private static final int MAX_KEPT_TOTAL = 1024 * 1024;
    private static final int FIELD_VALUE_AFTER_BUDGET = 1024;
    /** How far into a header line the parser looks for the colon of an interesting field. */
    private static final int NAME_WINDOW = 128;

    // interesting header fields
    private static final int F_CONTENT_TYPE = 0;
    private static final int F_CTE = 1;
    private static final int F_CONTENT_ID = 2;
    private static final int F_CONTENT_DESCRIPTION = 3;
    private static final int F_CONTENT_DISPOSITION = 4;
    private static final int F_CONTENT_LANGUAGE = 5;
    private static final int F_CONTENT_LOCATION = 6;
    private static final int F_CONTENT_MD5 = 7;
    private static final int F_DATE = 8;
    private static final int F_SUBJECT = 9;
    private static final int F_FROM = 10;
    private static final int F_SENDER = 11;
    private static final int F_REPLY_TO = 12;
    private static final int F_TO = 13;
    private static final int F_CC = 14;
    private static final int F_BCC = 15;
    private static final int F_IN_REPLY_TO = 16;
    private static final int F_MESSAGE_ID = 17;
    private static final int FIELD_COUNT = 18;
    private static final int FIRST_ENVELOPE_FIELD = F_DATE;

    private final InputStream in;
    private final byte[] buf = new byte[BUFFER_SIZE];
    private int pos;
    private int lim;
    private long base; // absolute offset of buf[0]
    private boolean eof;
    private byte lastDiscarded; // the byte just before buf[0]

    private byte[][] boundaries = new byte[8][];
    private int boundaryCount;
    private int longestBoundary;

    private int parts;
    private long lineFeeds; // line feeds consumed so far
    private int prevEol; // length of the line break that ended the previous line (0, 1 or 2)
    private int stop; // the boundary frame that ended the last part, or -1 for end of input
    private int keptBytes;

    StructureParser(InputStream in) {
        this.in = in;
    }

    MessageStructure parse() throws IOException {
        PartResult root = parsePart(0, false, true);
        // anything after an unexpected stop belongs to nobody; boundaries are all popped at the top level
        return new MessageStructure(root.envelope, root.part);
    }

    // ------------------------------------------------------------------------------------------------ parts

    private static final class PartResult {
        MimePart part;
        MessageEnvelope envelope;
    }

    private PartResult parsePart(int depth, boolean digestChild, boolean isMessage) throws IOException {
        parts++;
        long headerStart = position();
        String[] fields = new String[FIELD_COUNT];
        boolean interrupted = parseHeader(fields, isMessage);
        long bodyStart;
        long headerLength;
        if (interrupted) {
            if (position() == headerStart) {
                // a boundary at once: the line break before it ended the delimiter line (or the enclosing message
                // header) and stays there, as in Dovecot, so the enclosing parts that end at this boundary keep it
                prevEol = 0;
            }
            bodyStart = Math.max(headerStart, position() - prevEol);
        } else {
            bodyStart = position();
        }
        headerLength = bodyStart - headerStart;

        ContentType ct = ContentType.parse(fields[F_CONTENT_TYPE], digestChild);
        String cte = fields[F_CTE] == null ? null : HeaderValues.token(fields[F_CTE]);
        List<MimePart> children = List.of();
        MessageStructure embedded = null;
        long lfStart = lineFeeds;

        if (interrupted) {
            // body is empty; stop already names the boundary
        } else if (ct.isMultipart() && ct.boundary != null && depth < MessageStructure.MAX_DEPTH) {
            children = parseMultipartBody(depth, ct.boundary, ct.subtype.equalsIgnoreCase("digest"));
        } else if (ct.isMessage() && identityEncoding(cte) && depth < MessageStructure.MAX_DEPTH
                && parts < MessageStructure.MAX_PARTS) {
            PartResult inner = parsePart(depth + 1, false, true);
            embedded = new MessageStructure(inner.envelope, inner.part);
        } else {
            scanToBoundary();
        }

        long end = position();
        long bodyEnd;
        long lines = lineFeeds - lfStart;
        if (stop >= 0 && !interrupted) {
            bodyEnd = end - prevEol;
            if (bodyEnd < bodyStart) {
                // the line break before the boundary is the one that ended this part's header (an empty body): as
                // Dovecot, it stays in the header, so every enclosing part that ends at this boundary keeps it too
                bodyEnd = bodyStart;
                prevEol = 0;
            } else if (prevEol > 0) {
                lines--;
            }
        } else {
            bodyEnd = interrupted ? bodyStart : end;
        }
        if (interrupted) {
            lines = 0;
        }

        PartResult r = new PartResult();
        r.part = new MimePart(ct.type, ct.subtype, ct.parameters,
                fields[F_CONTENT_ID], fields[F_CONTENT_DESCRIPTION], cte, fields[F_CONTENT_MD5],
                disposition(fields[F_CONTENT_DISPOSITION]), dispositionParameters(fields[F_CONTENT_DISPOSITION]),
                HeaderValues.languages(fields[F_CONTENT_LANGUAGE]), fields[F_CONTENT_LOCATION],
                headerStart, headerLength, bodyEnd - bodyStart, Math.max(0, lines), children, embedded);
        if (isMessage) {
            r.envelope = new MessageEnvelope(fields[F_DATE], fields[F_SUBJECT], fields[F_FROM], fields[F_SENDER],
                    fields[F_REPLY_TO], fields[F_TO], fields[F_CC], fields[F_BCC], fields[F_IN_REPLY_TO],
                    fields[F_MESSAGE_ID]);
        }
        return r;
    }

    private static boolean identityEncoding(String cte) {
        return cte == null || cte.equalsIgnoreCase("7bit") || cte.equalsIgnoreCase("8bit")
                || cte.equalsIgnoreCase("binary");
    }

    private static String disposition(String value) {
        if (value == null) {
            return null;
        }
        ContentType d = ContentType.parseDisposition(value);
        return d == null ? null : d.type;
    }

    private static List<MimeParameter> dispositionParameters(String value) {
        if (value == null) {
            return List.of();
        }
        ContentType d = ContentType.parseDisposition(value);
        return d == null ? List.of() : d.parameters;
    }

    /** The body of a multipart: preamble, parts, epilogue. Returns the children. */
    private List<MimePart> parseMultipartBody(int depth, byte[] boundary, boolean digest) throws IOException {
        int frame = push(boundary);
        List<MimePart> children = new ArrayList<>();
        scanToBoundary(); // preamble
        while (true) {
            if (stop != frame) {
                // end of input, or an enclosing boundary: this multipart ends without its closing delimiter
                pop(frame);
                return children;
            }
            boolean close = isCloseDelimiter(frame);
            skipLine(); // the delimiter line
            if (close) {
                pop(frame);
                long epilogue = position();
                scanToBoundary(); // epilogue
                if (stop >= 0 && position() == epilogue) {
                    // an enclosing boundary right after the close delimiter (--inner--CRLF--outer): as Dovecot, the
                    // line break ends the close delimiter's line and stays in this multipart; the enclosing
                    // boundary gets no line break of its own
                    prevEol = 0;
                }
                return children;
            }
            if (parts >= MessageStructure.MAX_PARTS) {
                // no more parts: the rest of this multipart is its body
                pop(frame);
                scanToBoundary();
                return children;
            }
            children.add(parsePart(depth + 1, digest, false).part);
        }
    }

    private int push(byte[] boundary) {
        if (boundaryCount == boundaries.length) {
            boundaries = Arrays.copyOf(boundaries, boundaryCount * 2);
        }
        boundaries[boundaryCount] = boundary;
        longestBoundary = Math.max(longestBoundary, boundary.length);
        return boundaryCount++;
    }

    private void pop(int frame) {
        boundaryCount = frame;
        longestBoundary = 0;
        for (int i = 0; i < boundaryCount; i++) {
            longestBoundary = Math.max(longestBoundary, boundaries[i].length);
        }
    }

    // ------------------------------------------------------------------------------------------------ header

    /**
     * Parses a header up to and including its empty line. Returns true if a boundary line interrupted it (then the
     * parser stands at that line, and {@link #stop} names it).
     */
    private boolean parseHeader(String[] fields, boolean isMessage) throws IOException {
        FieldValue current = null;
        while (true) {
            if (!ensure(1)) {
                finish(fields, current);
                stop = -1;
                return false;
            }
            if (boundaryCount > 0) {
                int k = matchBoundary();
                if (k >= 0) {
                    finish(fields, current);
                    stop = k;
                    return true;
                }
            }
            byte b = buf[pos];
            if (b == '\n') {
                finish(fields, current);
                skipLine();
                return false;
            }
            if (b == '\r') {
                ensure(2);
                if (pos + 1 < lim && buf[pos + 1] == '\n') {
                    finish(fields, current);
                    skipLine();
                    return false;
                }
            }
            if (b == ' ' || b == '\t') {
                consumeLine(current);
                continue;
            }
            finish(fields, current);
            current = null;
            ensure(NAME_WINDOW);
            int end = Math.min(lim, pos + NAME_WINDOW);
            int colon = -1;
            for (int i = pos; i < end; i++) {
                byte c = buf[i];
                if (c == ':') {
                    colon = i;
                    break;
                }
                if (c == '\n') {
                    break;
                }
            }
            int field = colon < 0 ? -1 : fieldId(pos, colon);
            if (field >= 0 && (isMessage || field < FIRST_ENVELOPE_FIELD) && fields[field] == null) {
                int cap = field <= F_CTE || field == F_CONTENT_DISPOSITION
                        ? (keptBytes < MAX_KEPT_TOTAL ? MAX_FIELD_VALUE : FIELD_VALUE_AFTER_BUDGET)
                        : Math.min(MAX_FIELD_VALUE, Math.max(0, MAX_KEPT_TOTAL - keptBytes));
                current = new FieldValue(field, cap);
                pos = colon + 1;
            }
            consumeLine(current);
        }
    }

    private void finish(String[] fields, FieldValue v) {
        if (v != null && fields[v.field] == null) {
            String s = v.toValue();
            keptBytes += v.length;
            fields[v.field] = s;
        }
    }

    /** The interesting field whose name is {@code buf[from, colon)} (trailing white space ignored), or -1. */
    private int fieldId(int from, int colon) {
        int to = colon;
        while (to > from && (buf[to - 1] == ' ' || buf[to - 1] == '\t')) {
            to--;
        }
        int len = to - from;
        if (len < 2 || len > 25) {
            return -1;
        }
        char first = (char) (buf[from] | 0x20);
        if ("cdsfrtbim".indexOf(first) < 0) {
            return -1;
        }
        char[] name = new char[len];
        for (int i = 0; i < len; i++) {
            byte c = buf[from + i];
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            name[i] = (char) (c & 0xff);
        }
        switch (new String(name)) {
            case "content-type": return F_CONTENT_TYPE;
            case "content-transfer-encoding": return F_CTE;
            case "content-id": return F_CONTENT_ID;
            case "content-description": return F_CONTENT_DESCRIPTION;
            case "content-disposition": return F_CONTENT_DISPOSITION;
            case "content-language": return F_CONTENT_LANGUAGE;
            case "content-location": return F_CONTENT_LOCATION;
            case "content-md5": return F_CONTENT_MD5;
            case "date": return F_DATE;
            case "subject": return F_SUBJECT;
            case "from": return F_FROM;
            case "sender": return F_SENDER;
            case "reply-to": return F_REPLY_TO;
            case "to": return F_TO;
            case "cc": return F_CC;
            case "bcc": return F_BCC;
            case "in-reply-to": return F_IN_REPLY_TO;
            case "message-id": return F_MESSAGE_ID;
            default: return -1;
        }
    }

    /** A header field value being collected: unfolded (line breaks dropped), capped. */
    private static final class FieldValue {
        final int field;
        final int cap;
        byte[] bytes = new byte[64];
        int length;

        FieldValue(int field, int cap) {
            this.field = field;
            this.cap = cap;
        }

        void append(byte[] b, int off, int len) {
            int n = Math.min(len, cap - length);
            if (n <= 0) {
                return;
            }
            if (length + n > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.min(cap, Math.max(length + n, bytes.length * 2)));
            }
            System.arraycopy(b, off, bytes, length, n);
            length += n;
        }

        String toValue() {
            int s = 0;
            int e = length;
            while (s < e && isWsp(bytes[s])) {
                s++;
            }
            while (e > s && isWsp(bytes[e - 1])) {
                e--;
            }
            return HeaderValues.decode(bytes, s, e - s);
        }

        private static boolean isWsp(byte b) {
            return b == ' ' || b == '\t' || b == '\r' || b == '\n';
        }
    }

    // ------------------------------------------------------------------------------------------------ lines

    /** Skips lines until one that begins with an active boundary (stop = its frame) or the end (stop = -1). */
    private void scanToBoundary() throws IOException {
        if (boundaryCount == 0) {
            skipToEnd();
            stop = -1;
            return;
        }
        while (true) {
            // at the start of a line
            if (!ensure(1)) {
                stop = -1;
                return;
            }
            if (buf[pos] == '-') {
                int k = matchBoundary();
                if (k >= 0) {
                    stop = k;
                    return;
                }
            }
            // skip lines quickly while they cannot be boundaries
            int i = pos;
            while (true) {
                while (i < lim && buf[i] != '\n') {
                    i++;
                }
                if (i < lim) {
                    lineFeeds++;
                    prevEol = (i > 0 ? buf[i - 1] : lastDiscarded) == '\r' ? 2 : 1;
                    pos = i + 1;
                    if (pos < lim && buf[pos] != '-') {
                        i = pos;
                        continue;
                    }
                    break;
                }
                pos = lim;
                if (!fill()) {
                    prevEol = 0;
                    stop = -1;
                    return;
                }
                i = pos;
            }
        }
    }

    /**
     * The frame of the longest active boundary the current line starts with ({@code --boundary}), the innermost
     * on a tie, or -1.
     */
    private int matchBoundary() throws IOException {
        ensure(2 + longestBoundary + 2);
        int avail = lim - pos;
        if (avail < 3 || buf[pos] != '-' || buf[pos + 1] != '-') {
            return -1;
        }
        int best = -1;
        int bestLen = -1;
        for (int i = boundaryCount - 1; i >= 0; i--) {
            byte[] b = boundaries[i];
            if (b.length <= bestLen || 2 + b.length > avail) {
                continue;
            }
            if (Arrays.equals(buf, pos + 2, pos + 2 + b.length, b, 0, b.length)) {
                best = i;
                bestLen = b.length;
            }
        }
        return best;
    }

    private boolean isCloseDelimiter(int frame) throws IOException {
        int n = 2 + boundaries[frame].length;
        ensure(n + 2);
        return lim - pos >= n + 2 && buf[pos + n] == '-' && buf[pos + n + 1] == '-';
    }

    /** Consumes one line including its line break, counting line feeds. Returns false if at the end of input. */
    private boolean skipLine() throws IOException {
        return consumeLine(null);
    }

    /**
     * Consumes one line, appending its text without the line break to {@code sink} (if not null). Returns false if
     * nothing was left to consume.
     */
    private boolean consumeLine(FieldValue sink) throws IOException {
        boolean any = false;
        while (true) {
            if (pos >= lim && !fill()) {
                prevEol = 0;
                return any;
            }
            any = true;
            int start = pos;
            for (int i = pos; i < lim; i++) {
                if (buf[i] == '\n') {
                    boolean cr = i > 0 ? buf[i - 1] == '\r' : lastDiscarded == '\r';
                    if (sink != null) {
                        int textEnd = cr && i > start ? i - 1 : i;
                        sink.append(buf, start, textEnd - start);
                    }
                    pos = i + 1;
                    lineFeeds++;
                    prevEol = cr ? 2 : 1;
                    return true;
                }
            }
            if (sink != null) {
                // keep a trailing CR back: it may be the first half of CRLF
                int textEnd = lim > start && buf[lim - 1] == '\r' ? lim - 1 : lim;
                sink.append(buf, start, textEnd - start);
                if (textEnd < lim) {
                    pos = textEnd;
                    if (!fillKeeping()) {
                        sink.append(buf, pos, lim - pos);
                        pos = lim;
                        prevEol = 0;
                        return true;
                    }
                    continue;
                }
            }
            pos = lim;
        }
    }

    /** Consumes the rest of the input, counting line feeds. */
    private void skipToEnd() throws IOException {
        while (true) {
            if (pos >= lim && !fill()) {
                return;
            }
            int lastLf = -1;
            long n = 0;
            for (int i = pos; i < lim; i++) {
                if (buf[i] == '\n') {
                    n++;
                    lastLf = i;
                }
            }
            if (lastLf >= 0) {
                lineFeeds += n;
                boolean cr = lastLf > 0 ? buf[lastLf - 1] == '\r' : lastDiscarded == '\r';
                prevEol = lastLf == lim - 1 ? (cr ? 2 : 1) : 0;
            } else {
                prevEol = 0;
            }
            pos = lim;
        }
    }

    // ------------------------------------------------------------------------------------------------ buffer

    private long position() {
        return base + pos;
    }

    /** Makes at least {@code n} bytes available from {@code pos} unless the input ends first. */
    private boolean ensure(int n) throws IOException {
        while (lim - pos < n) {
            if (eof) {
                return lim > pos;
            }
            if (!fillKeeping()) {
                return lim > pos;
            }
        }
        return true;
    }

    /** Reads more input after discarding what was consumed. Returns false at the end of input with nothing read. */
    private boolean fill() throws IOException {
        return fillKeeping();
    }

    private boolean fillKeeping() throws IOException {
        if (eof) {
            return false;
        }
        if (pos > 0) {
            lastDiscarded = buf[pos - 1];
            int keep = lim - pos;
            System.arraycopy(buf, pos, buf, 0, keep);
            base += pos;
            lim = keep;
            pos = 0;
        }
        if (lim == buf.length) {
            return true; // the buffer is full of unconsumed bytes; callers never need more than it holds
        }
        int n = in.read(buf, lim, buf.length - lim);
        if (n < 0) {
            eof = true;
            return false;
        }
        lim += n;
        return true;
    }
}
