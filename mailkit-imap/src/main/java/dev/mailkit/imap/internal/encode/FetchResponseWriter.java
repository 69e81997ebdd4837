package dev.mailkit.imap.internal.encode;

import dev.mailkit.core.MessageSource;
import dev.mailkit.imap.internal.command.BodySection;
import dev.mailkit.imap.internal.command.FetchAttribute;
import dev.mailkit.imap.internal.command.FetchItem;
import dev.mailkit.imap.internal.command.FetchRequest;
import dev.mailkit.imap.internal.message.MessageData;
import dev.mailkit.imap.internal.message.MessageFlags;
import dev.mailkit.imap.internal.message.MimePart;
import dev.mailkit.imap.internal.preview.Preview;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;

/**
 * Writes one {@code * n FETCH (...)} response for a message: index data straight from the store's numbers,
 * ENVELOPE and BODYSTRUCTURE from the cached model, and body sections as literals streamed from the message
 * content through the writer's buffer (never a whole body in memory). Not thread-safe (one per session).
 */
public final class FetchResponseWriter {
    private static final byte[] FETCH_OPEN = " FETCH (".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] UID = "UID ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FLAGS = "FLAGS ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] INTERNALDATE = "INTERNALDATE ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SIZE = "RFC822.SIZE ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MODSEQ = "MODSEQ (".getBytes(StandardCharsets.US_ASCII);
    private static final byte[][] FLAG_LISTS = new byte[64][];

    static {
        for (int bits = 0; bits < 64; bits++) {
            FLAG_LISTS[bits] = MessageFlags.of(bits, java.util.List.of()).toString()
                    .getBytes(StandardCharsets.US_ASCII);
        }
    }

    private final ZoneRules zone;

    /** A writer that shows internal dates in the given zone. */
    public FetchResponseWriter(ZoneId zone) {
        this.zone = zone.getRules();
    }

    /**
     * Writes the response line(s) for one message.
     *
     * @param seq       the message sequence number
     * @param request   the items to write, in order
     * @param m         the message
     * @param flags     the flags to show (the caller's view; may differ from {@code m.flags()} after \Seen was set)
     * @param withFlags whether to add FLAGS even if not requested (after an implicit \Seen change)
     */
    public void write(ImapWriter w, long seq, FetchRequest request, MessageData m, MessageFlags flags,
                      boolean withFlags) throws IOException {
        w.write('*').sp().number(seq).write(FETCH_OPEN);
        boolean first = true;
        MessageSource content = null;
        try {
            for (FetchItem item : request.items()) {
                if (item instanceof BodySection b && b.kind() != BodySection.Kind.BODY) {
                    try {
                        BinarySections.check(m.structure(), b);
                    } catch (UnknownCteException e) {
                        failed(w, m, flags, withFlags && !request.has(FetchAttribute.FLAGS), first);
                        throw e;
                    }
                }
                if (!first) {
                    w.sp();
                }
                first = false;
                if (item instanceof FetchAttribute a) {
                    content = attribute(w, a, m, flags, content);
                } else {
                    BodySection s = (BodySection) item;
                    if (content == null) {
                        content = m.content();
                    }
                    section(w, s, m, content);
                }
            }
            if (withFlags && !request.has(FetchAttribute.FLAGS)) {
                if (!first) {
                    w.sp();
                }
                w.write(FLAGS);
                flags(w, flags);
            }
        } finally {
            if (content != null) {
                content.close();
            }
        }
        w.write(')').crlf();
    }

    /** Ends a response cut short by an undecodable BINARY section: never an empty list (as Dovecot: its UID). */
    private static void failed(ImapWriter w, MessageData m, MessageFlags flags, boolean withFlags, boolean empty)
            throws IOException {
        if (withFlags) {
            if (!empty) {
                w.sp();
            }
            w.write(FLAGS);
            flags(w, flags);
        } else if (empty) {
            w.write(UID).number(m.uid());
        }
        w.write(')').crlf();
    }

    /**
     * Writes the response for a message another session expunged since this session last synced, as Dovecot does:
     * every item with an empty value (size 0, the epoch, an envelope of NILs, an empty text/plain structure, NIL
     * sections), so the client keeps its numbering and the command still ends OK ({@code [EXPUNGEISSUED]}).
     */
    public void writeExpunged(ImapWriter w, long seq, FetchRequest request, long uid, MessageFlags flags,
                              long modseq) throws IOException {
        w.write('*').sp().number(seq).write(FETCH_OPEN);
        boolean first = true;
        for (FetchItem item : request.items()) {
            if (!first) {
                w.sp();
            }
            first = false;
            if (item instanceof BodySection b) {
                w.ascii(b.responseName()).ascii(b.kind() == BodySection.Kind.BINARY_SIZE ? " 0" : " NIL");
                continue;
            }
            FetchAttribute a = (FetchAttribute) item;
            switch (a) {
                case UID -> w.write(UID).number(uid);
                case FLAGS -> {
                    w.write(FLAGS);
                    flags(w, flags);
                }
                case INTERNALDATE -> w.write(INTERNALDATE).ascii("\"01-Jan-1970 00:00:00 +0000\"");
                case RFC822_SIZE -> w.write(SIZE).number(0);
                case MODSEQ -> w.write(MODSEQ).number(modseq).write(')');
                case ENVELOPE -> w.ascii("ENVELOPE (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)");
                case BODY -> w.ascii("BODY (\"text\" \"plain\" NIL NIL NIL \"7bit\" 0 0)");
                case BODYSTRUCTURE -> w.ascii("BODYSTRUCTURE (\"text\" \"plain\" NIL NIL NIL \"7bit\" 0 0 NIL NIL NIL NIL)");
                default -> w.ascii(a.imapName()).ascii(" NIL");
            }
        }
        w.write(')').crlf();
    }

    private MessageSource attribute(ImapWriter w, FetchAttribute a, MessageData m, MessageFlags flags,
                                    MessageSource content) throws IOException {
        switch (a) {
            case UID -> w.write(UID).number(m.uid());
            case FLAGS -> {
                w.write(FLAGS);
                flags(w, flags);
            }
            case INTERNALDATE -> {
                w.write(INTERNALDATE);
                Instant t = m.internalDate();
                ZoneOffset offset = zone.getOffset(t);
                ImapDates.writeDateTime(w, t, offset);
            }
            case RFC822_SIZE -> w.write(SIZE).number(m.size());
            case MODSEQ -> w.write(MODSEQ).number(m.modseq()).write(')');
            case ENVELOPE -> {
                w.ascii("ENVELOPE ");
                EnvelopeWriter.write(w, m.envelope());
            }
            case BODY -> {
                w.ascii("BODY ");
                BodyStructureWriter.write(w, m.structure(), false);
            }
            case BODYSTRUCTURE -> {
                w.ascii("BODYSTRUCTURE ");
                BodyStructureWriter.write(w, m.structure(), true);
            }
            case RFC822, RFC822_HEADER, RFC822_TEXT -> {
                MessageSource c = content == null ? m.content() : content;
                w.ascii(a.imapName()).sp();
                long start = 0;
                long end = c.size();
                if (a != FetchAttribute.RFC822) {
                    MimePart root = m.structure();
                    start = a == FetchAttribute.RFC822_HEADER ? root.headerOffset() : root.bodyOffset();
                    end = a == FetchAttribute.RFC822_HEADER ? root.bodyOffset() : Math.min(end, root.endOffset());
                }
                streamRange(w, c, start, end);
                return c;
            }
            case SAVEDATE -> {
                w.ascii("SAVEDATE ");
                Instant t = m.saveDate();
                if (t == null) {
                    w.nil();
                } else {
                    ImapDates.writeDateTime(w, t, zone.getOffset(t));
                }
            }
            case EMAILID -> objectId(w, "EMAILID ", m.emailId());
            case THREADID -> objectId(w, "THREADID ", m.threadId());
            case PREVIEW -> {
                MessageSource c = content == null ? m.content() : content;
                w.ascii("PREVIEW ").string(Preview.of(c, m.structure()));
                return c;
            }
            default -> throw new AssertionError(a);
        }
        return content;
    }

    /**
     * A BINARY item asked for a section with a content transfer encoding that cannot be undone: the FETCH response
     * for that message has been closed with what was written before the item, and the command fails with
     * {@code NO [UNKNOWN-CTE]} (RFC 3516 4.3), as Dovecot's.
     */
    public static final class UnknownCteException extends IOException {
        private static final long serialVersionUID = 1L;

        UnknownCteException(String cte) {
            super("Unknown Content-Transfer-Encoding " + cte, null);
        }
    }

    /** {@code NAME (id)}, or {@code NAME NIL} (RFC 8474's objectid is an atom of letters, digits, _ and -). */
    private static void objectId(ImapWriter w, String name, String id) throws IOException {
        w.ascii(name);
        if (id == null) {
            w.nil();
        } else {
            w.write('(').ascii(id).write(')');
        }
    }

    /** Writes a flag list, \Recent included. */
    public static void flags(ImapWriter w, MessageFlags f) throws IOException {
        if (f.keywordCount() == 0) {
            w.write(FLAG_LISTS[f.system() & 63]);
            return;
        }
        byte[] sys = FLAG_LISTS[f.system() & 63];
        w.write(sys, 0, sys.length - 1);
        for (int i = 0; i < f.keywordCount(); i++) {
            if (sys.length > 2 || i > 0) {
                w.sp();
            }
            w.ascii(f.keyword(i));
        }
        w.write(')');
    }

    private void section(ImapWriter w, BodySection s, MessageData m, MessageSource content) throws IOException {
        if (s.kind() != BodySection.Kind.BODY) {
            BinarySections.write(w, s, m.structure(), content);
            return;
        }
        w.ascii(s.responseName()).sp();
        Sections.Range r = Sections.range(m.structure(), content.size(), s);
        if (r == null) {
            w.ascii("{0}").crlf();
            return;
        }
        long start = Math.max(0, r.start());
        long end = Math.min(content.size(), r.end());
        if (s.text() == BodySection.Text.HEADER_FIELDS || s.text() == BodySection.Text.HEADER_FIELDS_NOT) {
            boolean not = s.text() == BodySection.Text.HEADER_FIELDS_NOT;
            long size;
            try (InputStream in = open(content, start)) {
                size = HeaderFieldFilter.filter(in, end - start, s.fields(), not, OutputStream.nullOutputStream());
            }
            long[] window = partial(s, size);
            w.write('{').number(window[1]).write('}').crlf();
            try (InputStream in = open(content, start)) {
                HeaderFieldFilter.filter(in, end - start, s.fields(), not, new WindowStream(w, window[0], window[1]));
            }
            return;
        }
        long[] window = partial(s, end - start);
        streamRange(w, content, start + window[0], start + window[0] + window[1]);
    }

    private static long[] partial(BodySection s, long size) {
        if (s.partialOffset() < 0) {
            return new long[] {0, size};
        }
        long off = Math.min(s.partialOffset(), size);
        return new long[] {off, Math.min(s.partialLength(), size - off)};
    }

    private static InputStream open(MessageSource c, long start) throws IOException {
        InputStream in = c.openStream();
        long skipped = 0;
        while (skipped < start) {
            long n = in.skip(start - skipped);
            if (n <= 0) {
                throw new IOException("message content shorter than its structure says");
            }
            skipped += n;
        }
        return in;
    }

    private static void streamRange(ImapWriter w, MessageSource c, long start, long end) throws IOException {
        long len = Math.max(0, end - start);
        w.write('{').number(len).write('}').crlf();
        if (len == 0) {
            return;
        }
        try (InputStream in = open(c, start)) {
            w.copy(in, len);
        }
    }

}
