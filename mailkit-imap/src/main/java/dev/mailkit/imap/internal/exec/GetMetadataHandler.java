package dev.mailkit.imap.internal.exec;

import dev.mailkit.imap.internal.command.GetMetadataCommand;
import dev.mailkit.imap.internal.encode.ImapWriter;
import dev.mailkit.imap.internal.session.CommandHandler;
import dev.mailkit.imap.internal.session.ImapSession;
import dev.mailkit.store.AccountMetadata;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;

/**
 * GETMETADATA (RFC 5464 4.2): one {@code * METADATA} response with the entries asked for, in the order asked,
 * each followed (with DEPTH 1 or infinity) by the entries below it, sorted. At DEPTH 0 an entry that does not exist
 * is reported as NIL; below it only entries that exist are. Values larger than MAXSIZE are left out and the largest
 * of them is reported in {@code OK [METADATA LONGENTRIES n]}. Values are literals, as Dovecot sends them
 * ({@code ~{n}} when they hold a NUL).
 */
final class GetMetadataHandler implements CommandHandler<GetMetadataCommand> {
    @Override
    public void handle(GetMetadataCommand c, ImapSession s) throws IOException {
        AccountMetadata metadata = MetadataAccess.metadata(s, c);
        if (metadata == null) {
            return;
        }
        SortedMap<String, byte[]> all = metadata.entries(MetadataAccess.mailbox(c.mailbox()));
        Map<String, byte[]> out = new LinkedHashMap<>();
        long longest = -1;
        for (String entry : c.entries()) {
            byte[] v = all.get(entry);
            if (c.depth() == 0 || v != null) {
                longest = Math.max(longest, include(out, entry, v, c.maxSize()));
            }
            if (c.depth() > 0) {
                String below = entry + "/";
                for (Map.Entry<String, byte[]> e : all.tailMap(below).entrySet()) {
                    if (!e.getKey().startsWith(below)) {
                        break;
                    }
                    if (levels(e.getKey(), below.length()) <= c.depth()) {
                        longest = Math.max(longest, include(out, e.getKey(), e.getValue(), c.maxSize()));
                    }
                }
            }
        }
        if (!out.isEmpty()) {
            write(s.out(), c.mailbox(), out);
        }
        s.complete(c, longest >= 0 ? "METADATA LONGENTRIES " + longest : null, "Getmetadata completed");
    }

    /** Adds the entry unless it is over MAXSIZE; returns its size if it was, else -1. */
    private static long include(Map<String, byte[]> out, String entry, byte[] value, long maxSize) {
        if (value != null && maxSize >= 0 && value.length > maxSize) {
            return value.length;
        }
        out.putIfAbsent(entry, value);
        return -1;
    }

    /** How many levels below the asked entry a name is (1 for a child). */
    private static int levels(String name, int from) {
        int n = 1;
        for (int i = from; i < name.length(); i++) {
            if (name.charAt(i) == '/') {
                n++;
            }
        }
        return n;
    }

    private static void write(ImapWriter w, String mailbox, Map<String, byte[]> entries) throws IOException {
        w.ascii("* METADATA ").mailboxAstring(mailbox).ascii(" (");
        boolean first = true;
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            if (!first) {
                w.sp();
            }
            first = false;
            w.ascii(e.getKey()).sp();
            byte[] v = e.getValue();
            if (v == null) {
                w.nil();
            } else {
                if (hasNul(v)) {
                    w.write('~'); // literal8 (RFC 3516, allowed by RFC 5464's value)
                }
                w.literal(v);
            }
        }
        w.write(')').crlf();
    }

    private static boolean hasNul(byte[] v) {
        for (byte b : v) {
            if (b == 0) {
                return true;
            }
        }
        return false;
    }
}
