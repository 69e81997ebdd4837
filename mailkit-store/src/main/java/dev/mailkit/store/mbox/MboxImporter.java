package dev.mailkit.store.mbox;

import dev.mailkit.core.MessageSource;
import dev.mailkit.core.MessageSpool;
import dev.mailkit.store.Flags;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.SystemFlag;
import dev.mailkit.store.UidSet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Reads an mbox file (mboxrd, and the older mboxo that mutt and Thunderbird also write) and adds its messages to a
 * mailbox: a line beginning with {@code From } at the start of the file or after a blank line starts a message (the
 * blank line before it belongs to no message); {@code >From }, {@code >>From } ... lose one {@code >}; lines get
 * CRLF ends. The {@code From} line's date becomes the internal date. With {@link #statusHeaders(boolean) status
 * headers} (the default), {@code Status:}, {@code X-Status:} and {@code X-Keywords:} become flags and are removed
 * from the message, as {@link MboxExporter} writes them.
 *
 * <p>Messages stream through a {@link MessageSpool} (big ones go to disk), never held whole. Immutable and
 * thread-safe.
 */
public final class MboxImporter {
    private static final DateTimeFormatter ASCTIME = DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy",
            Locale.ROOT);
    private static final byte[] CRLF = {'\r', '\n'};

    private final MessageSpool spool;
    private final boolean statusHeaders;

    private MboxImporter(MessageSpool spool, boolean statusHeaders) {
        this.spool = spool;
        this.statusHeaders = statusHeaders;
    }

    /** An importer that spools through {@link MessageSpool#temporary()} and reads status headers. */
    public static MboxImporter create() {
        return new MboxImporter(MessageSpool.temporary(), true);
    }

    /** The spool messages pass through (big ones are written to its directory while they are read). */
    public MboxImporter spool(MessageSpool spool) {
        return new MboxImporter(Objects.requireNonNull(spool, "spool"), statusHeaders);
    }

    /** Whether {@code Status:}/{@code X-Status:}/{@code X-Keywords:} headers become flags (and are removed). */
    public MboxImporter statusHeaders(boolean on) {
        return new MboxImporter(spool, on);
    }

    /** One message read from an mbox. */
    @FunctionalInterface
    public interface Handler {
        /**
         * Takes one message; {@code message} is valid only during the call.
         *
         * @param date the date of its From line, or null if it had none that could be read
         */
        void accept(MessageSource message, Flags flags, Instant date) throws IOException;
    }

    /**
     * Adds every message of the mbox to the mailbox, in file order.
     *
     * @return the new UIDs
     * @throws IOException if the stream is not an mbox (it must start with a {@code From } line) or cannot be read;
     *                     messages read before that are in the mailbox
     */
    public UidSet importInto(InputStream in, Mailbox mailbox) throws IOException {
        UidSet.Builder uids = UidSet.builder();
        read(in, (m, flags, date) -> uids.add(mailbox.append(m, flags, date)));
        return uids.build();
    }

    /**
     * Reads every message of the mbox and hands it to the handler.
     *
     * @return the number of messages
     */
    public int read(InputStream in, Handler handler) throws IOException {
        LineChunks lines = new LineChunks(in);
        Current cur = null;
        boolean prevBlank = true; // the start of the file counts as after a blank line
        int count = 0;
        try {
            while (lines.next()) {
                if (lines.lineStart && prevBlank && lines.startsWith("From ")) {
                    if (cur != null) {
                        cur.finish(handler);
                        count++;
                    }
                    cur = new Current(spool.newWriter(), fromLineDate(lines));
                    skipRestOfLine(lines);
                    prevBlank = false;
                    continue;
                }
                if (cur == null) {
                    if (lines.lineStart && lines.length == 0 && lines.lineEnded) {
                        continue; // blank lines before the first message
                    }
                    throw new IOException("not an mbox file: it must begin with a 'From ' line");
                }
                prevBlank = cur.line(lines);
            }
            if (cur != null) {
                cur.finish(handler);
                count++;
            }
            cur = null;
            return count;
        } finally {
            if (cur != null) {
                cur.writer.abort();
            }
        }
    }

    private static void skipRestOfLine(LineChunks lines) throws IOException {
        while (!lines.lineEnded && lines.next()) {
            if (lines.lineStart) {
                throw new IllegalStateException("line splitter out of step");
            }
        }
    }

    /** The message being read. */
    private final class Current {
        final MessageSpool.Writer writer;
        final Instant date;
        boolean heldBlank; // a blank line not yet written: the separator if a From line follows
        boolean inHeader = true;
        boolean skipping;
        final Set<SystemFlag> system = EnumSet.noneOf(SystemFlag.class);
        final List<String> keywords = new ArrayList<>();

        Current(MessageSpool.Writer writer, Instant date) {
            this.writer = writer;
            this.date = date;
        }

        /** Takes one chunk; returns whether it was a whole blank line. */
        boolean line(LineChunks l) throws IOException {
            boolean blank = l.lineStart && l.length == 0 && l.lineEnded;
            if (l.lineStart && heldBlank) {
                writer.write(CRLF);
                heldBlank = false;
            }
            if (inHeader && l.lineStart) {
                if (blank) {
                    inHeader = false;
                    writer.write(CRLF);
                    return true;
                }
                boolean continuation = l.data[0] == ' ' || l.data[0] == '\t';
                if (!continuation) {
                    skipping = statusHeaders && status(l);
                }
            }
            if (inHeader && skipping) {
                return false;
            }
            if (blank) {
                heldBlank = true;
                return true;
            }
            int from = 0;
            if (l.lineStart) {
                int q = l.quoteDepth();
                if (q > 0 && l.startsWith(q, "From ")) {
                    from = 1;
                }
            }
            writer.write(l.data, from, l.length - from);
            if (l.lineEnded) {
                writer.write(CRLF);
            }
            return false;
        }

        private boolean status(LineChunks l) {
            String line = new String(l.data, 0, Math.min(l.length, 4096), StandardCharsets.ISO_8859_1);
            int colon = line.indexOf(':');
            if (colon < 0) {
                return false;
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            switch (name) {
                case "status":
                    if (value.indexOf('R') >= 0) {
                        system.add(SystemFlag.SEEN);
                    }
                    return true;
                case "x-status":
                    for (char c : value.toCharArray()) {
                        switch (c) {
                            case 'A': system.add(SystemFlag.ANSWERED); break;
                            case 'F': system.add(SystemFlag.FLAGGED); break;
                            case 'T': system.add(SystemFlag.DRAFT); break;
                            case 'D': system.add(SystemFlag.DELETED); break;
                            default: break;
                        }
                    }
                    return true;
                case "x-keywords":
                    for (String k : value.split("[ ,]+")) {
                        if (Flags.isValidKeyword(k)) {
                            keywords.add(k);
                        }
                    }
                    return true;
                default:
                    return false;
            }
        }

        void finish(Handler handler) throws IOException {
            // a held blank line at the end is the separator before the next From line (or the end of the file)
            try (MessageSource m = writer.finish()) {
                handler.accept(m, Flags.of(system, keywords), date);
            }
        }
    }

    /** The date of a {@code From sender Sat Jan  3 01:05:34 1996} line (taken as UTC), or null. */
    static Instant fromLineDate(LineChunks l) {
        String line = new String(l.data, 0, Math.min(l.length, 1000), StandardCharsets.ISO_8859_1).trim();
        String[] t = line.split("\\s+");
        if (t.length < 7) {
            return null;
        }
        String text = t[2] + " " + t[3] + " " + t[4] + " " + t[5] + " " + t[6];
        try {
            return LocalDateTime.parse(text, ASCTIME).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
