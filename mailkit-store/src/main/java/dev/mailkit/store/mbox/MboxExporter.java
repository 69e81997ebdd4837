package dev.mailkit.store.mbox;

import dev.mailkit.core.MessageSource;
import dev.mailkit.store.Flags;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxView;
import dev.mailkit.store.MessageInfo;
import dev.mailkit.store.SystemFlag;
import dev.mailkit.store.UidSet;
import dev.mailkit.store.ViewMode;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Writes messages as an mbox file in the <b>mboxrd</b> format that mutt, Thunderbird, Dovecot and {@code formail}
 * read: each message starts with a {@code From <sender> <asctime date>} line, its lines end in LF, every line that
 * begins with {@code From } after any number of {@code >} gets one more {@code >} (so that reading it back removes
 * exactly one and nothing is ever mistaken for a message boundary), and a blank line follows it. A line whose text
 * itself ends in CR (CR CR LF in the message) is the one written with CR LF, so that importing it again keeps that
 * CR: export and import round-trip.
 *
 * <p>The sender is taken from the message's {@code Return-Path:} ({@code MAILER-DAEMON} if there is none), the date
 * is the internal date. With {@link #statusHeaders(boolean) status headers} (the default), flags travel as mutt and
 * Dovecot write them: {@code Status: RO} (read, old), {@code X-Status: AFTD} (answered, flagged, draft, deleted) and
 * {@code X-Keywords:}; such headers already in a message are replaced.
 *
 * <p>Messages are streamed, never held whole. Immutable and thread-safe.
 */
public final class MboxExporter {
    private static final DateTimeFormatter ASCTIME = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy",
            Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final byte[] LF = {'\n'};
    private static final byte[] CRLF = {'\r', '\n'};

    private final boolean statusHeaders;

    private MboxExporter(boolean statusHeaders) {
        this.statusHeaders = statusHeaders;
    }

    /** An exporter with status headers. */
    public static MboxExporter create() {
        return new MboxExporter(true);
    }

    /** Whether flags are written as {@code Status:}/{@code X-Status:}/{@code X-Keywords:} headers. */
    public MboxExporter statusHeaders(boolean on) {
        return new MboxExporter(on);
    }

    /** Writes every message of the mailbox, in UID order; returns how many. */
    public int export(Mailbox mailbox, OutputStream out) throws IOException {
        return export(mailbox, UidSet.all(), out);
    }

    /**
     * Writes the messages of the set that are in the mailbox now, in UID order; returns how many. Messages expunged
     * meanwhile are skipped. The stream is flushed, not closed.
     */
    public int export(Mailbox mailbox, UidSet uids, OutputStream out) throws IOException {
        Objects.requireNonNull(uids, "uids");
        OutputStream o = new BufferedOutputStream(out, 64 * 1024);
        int n = 0;
        try (MailboxView view = mailbox.openView(ViewMode.READ_ONLY)) {
            for (int seq = 1; seq <= view.messageCount(); seq++) {
                long uid = view.uid(seq);
                if (!uids.contains(uid)) {
                    continue;
                }
                Optional<MessageInfo> info = mailbox.message(uid);
                Optional<MessageSource> content = mailbox.content(uid);
                if (info.isEmpty() || content.isEmpty()) {
                    continue;
                }
                try (MessageSource m = content.get()) {
                    write(m, info.get().flags(), info.get().internalDate(), o);
                }
                n++;
            }
        }
        o.flush();
        return n;
    }

    /** Writes one message (with its From line and the blank line after it). */
    public void write(MessageSource message, Flags flags, Instant date, OutputStream out) throws IOException {
        String sender = sender(message);
        out.write(("From " + sender + " " + ASCTIME.format(date) + "\n").getBytes(StandardCharsets.US_ASCII));
        boolean inHeader = true;
        boolean skipping = false;
        boolean lastEnded = true;
        try (InputStream in = message.openStream()) {
            LineChunks lines = new LineChunks(in);
            while (lines.next()) {
                if (inHeader && lines.lineStart) {
                    if (lines.length == 0 && lines.lineEnded) {
                        inHeader = false;
                        writeStatus(flags, out);
                    } else {
                        boolean continuation = lines.data[0] == ' ' || lines.data[0] == '\t';
                        if (!continuation) {
                            skipping = statusHeaders && (startsWithIgnoreCase(lines, "Status:")
                                    || startsWithIgnoreCase(lines, "X-Status:")
                                    || startsWithIgnoreCase(lines, "X-Keywords:"));
                        }
                    }
                }
                if (inHeader && skipping) {
                    continue;
                }
                if (lines.lineStart && lines.startsWith(lines.quoteDepth(), "From ")) {
                    out.write('>');
                }
                out.write(lines.data, 0, lines.length);
                if (lines.lineEnded) {
                    // a line whose text ends in CR (CR CR LF in the message) ends in CR LF, since a reader takes a
                    // CR before the LF as part of the line end: the text's own CR then survives the round trip
                    out.write(lines.length > 0 && lines.data[lines.length - 1] == '\r' ? CRLF : LF);
                }
                lastEnded = lines.lineEnded;
            }
        }
        if (inHeader) {
            // a message without a body: end the header with the status lines
            if (!lastEnded) {
                out.write(LF);
            }
            writeStatus(flags, out);
            lastEnded = true;
        }
        if (!lastEnded) {
            out.write(LF);
        }
        out.write(LF);
    }

    private void writeStatus(Flags flags, OutputStream out) throws IOException {
        if (!statusHeaders) {
            return;
        }
        StringBuilder sb = new StringBuilder("Status: ");
        if (flags.contains(SystemFlag.SEEN)) {
            sb.append('R');
        }
        sb.append("O\n");
        StringBuilder x = new StringBuilder();
        if (flags.contains(SystemFlag.ANSWERED)) {
            x.append('A');
        }
        if (flags.contains(SystemFlag.FLAGGED)) {
            x.append('F');
        }
        if (flags.contains(SystemFlag.DRAFT)) {
            x.append('T');
        }
        if (flags.contains(SystemFlag.DELETED)) {
            x.append('D');
        }
        if (x.length() > 0) {
            sb.append("X-Status: ").append(x).append('\n');
        }
        List<String> kw = flags.keywords();
        if (!kw.isEmpty()) {
            sb.append("X-Keywords: ").append(String.join(" ", kw)).append('\n');
        }
        out.write(sb.toString().getBytes(StandardCharsets.US_ASCII));
    }

    private static boolean startsWithIgnoreCase(LineChunks l, String prefix) {
        if (l.length < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (Character.toLowerCase((char) l.data[i]) != Character.toLowerCase(prefix.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** The envelope sender for the From line: the Return-Path address, or MAILER-DAEMON. */
    static String sender(MessageSource message) {
        try {
            String rp = message.headers().getHeader("Return-Path", null);
            if (rp != null) {
                String s = rp.trim();
                if (s.startsWith("<") && s.endsWith(">")) {
                    s = s.substring(1, s.length() - 1);
                }
                if (!s.isEmpty() && s.chars().allMatch(c -> c > ' ' && c < 0x7f)) {
                    return s;
                }
            }
        } catch (RuntimeException e) {
            // no usable header: fall through
        }
        return "MAILER-DAEMON";
    }
}
