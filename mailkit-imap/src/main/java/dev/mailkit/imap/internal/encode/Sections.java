package dev.mailkit.imap.internal.encode;

import dev.mailkit.imap.internal.command.BodySection;
import dev.mailkit.imap.internal.message.MimePart;

import java.util.List;

/**
 * Finds the bytes a {@code BODY[section]} refers to (RFC 3501 6.4.5): walks the part path through multiparts and
 * encapsulated messages and returns the byte range of the header, body, MIME header or text asked for. Stateless.
 */
public final class Sections {
    private Sections() {
    }

    /** A byte range of the message, and whether it is a header from which fields must be picked. */
    public record Range(long start, long end) {
        public long length() {
            return end - start;
        }
    }

    /**
     * The part a path names, or null if there is no such part.
     *
     * @param root the whole message
     * @param path part numbers, 1-based; empty for the message itself
     */
    public static MimePart part(MimePart root, List<Integer> path) {
        MimePart cur = root;
        for (int k = 0; k < path.size() && cur != null; k++) {
            int n = path.get(k);
            if (cur.isMultipart()) {
                List<? extends MimePart> c = cur.children();
                cur = n >= 1 && n <= c.size() ? c.get(n - 1) : null;
            } else if (k > 0 && cur.isMessage()) {
                MimePart m = cur.message();
                if (m.isMultipart()) {
                    List<? extends MimePart> c = m.children();
                    cur = n >= 1 && n <= c.size() ? c.get(n - 1) : null;
                } else {
                    cur = n == 1 ? m : null;
                }
            } else if (n != 1 || k > 0 && cur == root) {
                cur = null; // only 1 inside a non-multipart; 1.1 of a single-part message is nothing (as Dovecot)
            }
            // else: part 1 of a non-multipart is the part itself
        }
        return cur;
    }

    /**
     * The byte range of a section, or null when the section does not exist in this message (it is then returned as
     * an empty string, as Dovecot does).
     * For HEADER.FIELDS (NOT) the range is the header from which to pick the fields.
     */
    public static Range range(MimePart root, long messageSize, BodySection s) {
        List<Integer> path = s.part();
        if (path.isEmpty()) {
            return switch (s.text()) {
                case NONE -> new Range(0, messageSize);
                case HEADER, HEADER_FIELDS, HEADER_FIELDS_NOT -> new Range(root.headerOffset(), root.bodyOffset());
                case TEXT -> new Range(root.bodyOffset(), root.endOffset());
                case MIME -> null;
            };
        }
        MimePart p = part(root, path);
        if (p == null) {
            return null;
        }
        switch (s.text()) {
            case NONE:
                return new Range(p.bodyOffset(), p.endOffset());
            case MIME:
                return new Range(p.headerOffset(), p.bodyOffset());
            default:
                MimePart m = p.message();
                if (m == null) {
                    return null;
                }
                return s.text() == BodySection.Text.TEXT ? new Range(m.bodyOffset(), m.endOffset())
                        : new Range(m.headerOffset(), m.bodyOffset());
        }
    }
}
