package dev.mailkit.imap.internal.encode;

import dev.mailkit.imap.internal.message.EnvelopeFields;

import java.io.IOException;
import java.util.List;

/**
 * Writes ENVELOPE (RFC 3501 7.4.2): date, subject, from, sender, reply-to, to, cc, bcc, in-reply-to, message-id.
 * Sender and reply-to default to from when absent or empty, as the RFC requires. Stateless.
 */
public final class EnvelopeWriter {
    private EnvelopeWriter() {
    }

    /** Writes the parenthesised envelope. */
    public static void write(ImapWriter w, EnvelopeFields e) throws IOException {
        w.write('(');
        w.nstring(trimToNull(e.date())).sp();
        w.nstring(e.subject() == null ? null : collapseWhitespace(e.subject())).sp();
        List<AddressParser.Address> from = AddressParser.parse(e.from());
        addresses(w, from);
        w.sp();
        List<AddressParser.Address> sender = AddressParser.parse(e.sender());
        addresses(w, sender.isEmpty() ? from : sender);
        w.sp();
        List<AddressParser.Address> replyTo = AddressParser.parse(e.replyTo());
        addresses(w, replyTo.isEmpty() ? from : replyTo);
        w.sp();
        addresses(w, AddressParser.parse(e.to()));
        w.sp();
        addresses(w, AddressParser.parse(e.cc()));
        w.sp();
        addresses(w, AddressParser.parse(e.bcc()));
        w.sp();
        w.nstring(trimToNull(e.inReplyTo())).sp();
        w.nstring(trimToNull(e.messageId()));
        w.write(')');
    }

    /** Runs of white space (folding included) become one space; leading and trailing space go (as Dovecot does). */
    static String collapseWhitespace(String s) {
        if (!needsCollapse(s)) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        boolean pending = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                pending = sb.length() > 0;
            } else {
                if (pending) {
                    sb.append(' ');
                    pending = false;
                }
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static boolean needsCollapse(String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '\t' || c == '\r' || c == '\n') {
                return true;
            }
            if (c == ' ' && (i == 0 || i == n - 1 || s.charAt(i + 1) == ' ')) {
                return true;
            }
        }
        return false;
    }

    private static String trimToNull(String s) {
        if (s == null) {
            return null;
        }
        String t = s.strip();
        return t.isEmpty() ? null : t;
    }

    private static void addresses(ImapWriter w, List<AddressParser.Address> list) throws IOException {
        if (list.isEmpty()) {
            w.nil();
            return;
        }
        w.write('(');
        for (AddressParser.Address a : list) {
            w.write('(');
            w.nstring(a.name()).sp().nstring(a.adl()).sp().nstring(a.mailbox()).sp().nstring(a.host());
            w.write(')');
        }
        w.write(')');
    }
}
