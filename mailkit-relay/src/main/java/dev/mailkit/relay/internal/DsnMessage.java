package dev.mailkit.relay.internal;

import dev.mailkit.core.MailAddress;
import dev.mailkit.core.Dsn;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * Writes a delivery status notification (RFC 3464) in a {@code multipart/report} (RFC 6522): a human-readable part,
 * a {@code message/delivery-status} part with one block per reported recipient, and the original message (or only its
 * header: above the size limit, when the sender asked for {@code RET=HDRS}, and in success reports). The DSN
 * extension's fields (RFC 3461) are carried over: ENVID as {@code Original-Envelope-Id}, ORCPT as
 * {@code Original-Recipient}. Text from the remote server or the sender goes only into single lines of printable
 * ASCII, so no CR or LF from outside can start a header field.
 */
final class DsnMessage {
    private DsnMessage() {
    }

    /** What a notification reports. */
    enum Kind {
        /** Recipients that failed permanently. */
        FAILED,
        /** Recipients given up on when the queue lifetime ended. */
        EXPIRED,
        /** Recipients handed to a server that does not offer DSN (it will not report delivery). */
        RELAYED,
        /** Recipients delivered into their mailboxes here. */
        DELIVERED;

        boolean success() {
            return this == RELAYED || this == DELIVERED;
        }
    }

    /** The DSN extension's data for the report: ENVID and each recipient's ORCPT (xtext, as the client sent them). */
    interface Request {
        /** The ENVID, or null. */
        String envelopeId();

        /** The recipient's ORCPT, or null. */
        String originalRecipient(MailAddress recipient);

        /** Whether only the header of the original goes back (RET=HDRS). */
        boolean headersOnly();
    }

    /** No DSN parameters. */
    static final Request NO_REQUEST = new Request() {
        @Override
        public String envelopeId() {
            return null;
        }

        @Override
        public String originalRecipient(MailAddress recipient) {
            return null;
        }

        @Override
        public boolean headersOnly() {
            return false;
        }
    };

    /** The original message's content, readable from the start. */
    interface Original {
        InputStream open() throws IOException;

        long size();
    }

    static void write(OutputStream out, String hostName, String queueId, MailAddress to, ZonedDateTime arrival,
                      ZonedDateTime now, List<Outcome> failed, Original original, long sizeLimit, String boundary,
                      boolean expired) throws IOException {
        write(out, hostName, queueId, to, arrival, now, failed, original, sizeLimit, boundary,
                expired ? Kind.EXPIRED : Kind.FAILED, NO_REQUEST);
    }

    static void write(OutputStream out, String hostName, String queueId, MailAddress to, ZonedDateTime arrival,
                      ZonedDateTime now, List<Outcome> failed, Original original, long sizeLimit, String boundary,
                      Kind kind, Request request) throws IOException {
        boolean expired = kind == Kind.EXPIRED;
        StringBuilder h = new StringBuilder(2048);
        h.append("From: Mail Delivery System <MAILER-DAEMON@").append(hostName).append(">\r\n");
        h.append("To: ").append(asciiAddress(to)).append("\r\n");
        h.append("Subject: ").append(kind.success() ? "Successful Mail Delivery Report"
                : "Undelivered Mail Returned to Sender").append("\r\n");
        h.append("Date: ").append(dev.mailkit.core.MessageDates.format(now)).append("\r\n");
        h.append("Message-ID: <").append(queueId).append('.').append(now.toEpochSecond()).append("@")
                .append(hostName).append(">\r\n");
        h.append("Auto-Submitted: auto-replied\r\n");
        h.append("MIME-Version: 1.0\r\n");
        h.append("Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary=\"")
                .append(boundary).append("\"\r\n");
        h.append("\r\n");
        h.append("This is a MIME-encapsulated message.\r\n\r\n");
        h.append("--").append(boundary).append("\r\n");
        h.append("Content-Description: Notification\r\n");
        h.append("Content-Type: text/plain; charset=us-ascii\r\n\r\n");
        h.append("This is the mail system at host ").append(hostName).append(".\r\n\r\n");
        if (kind.success()) {
            h.append(kind == Kind.DELIVERED
                    ? "Your message was delivered to the mailboxes listed below.\r\n"
                    : "Your message was handed to a mail server that does not report delivery for the recipients "
                            + "listed\r\nbelow; you may still be told of delivery errors by other systems.\r\n");
        } else {
            h.append(expired
                    ? "Your message could not be delivered within the time the mail system allows; it has given up.\r\n"
                    : "I'm sorry to have to inform you that your message could not\r\nbe delivered to one or more "
                            + "recipients. It's attached below.\r\n");
        }
        h.append("\r\nThe mail system\r\n");
        for (Outcome o : failed) {
            h.append("\r\n<").append(Text.asciiLine(o.recipient.toString(), 300)).append(">: ");
            h.append(wrap(Text.asciiLine(o.detail, 900))).append("\r\n");
        }
        h.append("\r\n--").append(boundary).append("\r\n");
        h.append("Content-Description: Delivery report\r\n");
        h.append("Content-Type: message/delivery-status\r\n\r\n");
        h.append("Reporting-MTA: dns; ").append(hostName).append("\r\n");
        if (request.envelopeId() != null) {
            h.append("Original-Envelope-Id: ").append(Text.asciiLine(Dsn.decodeXtext(request.envelopeId()), 200))
                    .append("\r\n");
        }
        h.append("X-Mailkit-Queue-ID: ").append(queueId).append("\r\n");
        h.append("Arrival-Date: ").append(dev.mailkit.core.MessageDates.format(arrival)).append("\r\n");
        for (Outcome o : failed) {
            h.append("\r\n");
            String orcpt = request.originalRecipient(o.recipient);
            if (orcpt != null) {
                int semi = orcpt.indexOf(';');
                h.append("Original-Recipient: ").append(orcpt, 0, semi).append("; ")
                        .append(Text.asciiLine(Dsn.decodeXtext(orcpt.substring(semi + 1)), 500)).append("\r\n");
            }
            h.append("Final-Recipient: ").append(o.recipient.isSmtpUtf8() ? "utf-8; " : "rfc822; ")
                    .append(o.recipient.isSmtpUtf8() ? Text.asciiLine(o.recipient.toString(), 300)
                            : o.recipient.toString()).append("\r\n");
            h.append("Action: ").append(kind == Kind.DELIVERED ? "delivered" : kind == Kind.RELAYED ? "relayed"
                    : "failed").append("\r\n");
            h.append("Status: ").append(o.status).append("\r\n");
            if (o.remoteHost != null) {
                h.append("Remote-MTA: dns; ").append(Text.asciiLine(o.remoteHost, 200)).append("\r\n");
            }
            h.append("Diagnostic-Code: ").append(o.reply != null ? "smtp; " : "X-mailkit; ")
                    .append(wrap(Text.asciiLine(o.diagnostic(), 900))).append("\r\n");
            h.append("Last-Attempt-Date: ").append(dev.mailkit.core.MessageDates.format(now)).append("\r\n");
        }
        h.append("\r\n--").append(boundary).append("\r\n");
        boolean whole = original.size() <= sizeLimit && !request.headersOnly() && !kind.success();
        h.append("Content-Description: ").append(kind.success() ? "Message Headers"
                : whole ? "Undelivered Message" : "Undelivered Message Headers").append("\r\n");
        h.append("Content-Type: ").append(whole ? "message/rfc822" : "text/rfc822-headers").append("\r\n\r\n");
        out.write(h.toString().getBytes(StandardCharsets.US_ASCII));
        try (InputStream in = new java.io.BufferedInputStream(original.open())) {
            if (whole) {
                in.transferTo(out);
            } else {
                copyHeader(in, out);
            }
        }
        out.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    /** Copies the header section (up to the empty line), and no more than 256 KiB of it. */
    private static void copyHeader(InputStream in, OutputStream out) throws IOException {
        int prev = -1;
        int prev2 = -1;
        int prev3 = -1;
        long n = 0;
        int b;
        while ((b = in.read()) != -1 && n < 256 * 1024) {
            out.write(b);
            n++;
            if (b == '\n' && prev == '\r' && prev2 == '\n' && prev3 == '\r') {
                return;
            }
            prev3 = prev2;
            prev2 = prev;
            prev = b;
        }
        out.write('\r');
        out.write('\n');
    }

    private static String asciiAddress(MailAddress a) {
        return a.isSmtpUtf8() ? "<" + Text.asciiLine(a.toString(), 300) + ">" : "<" + a + ">";
    }

    /** Folds a long single line at spaces (continuation lines start with a space). */
    private static String wrap(String s) {
        if (s.length() <= 76) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length() + 16);
        int lineStart = 0;
        int lastSpace = -1;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == ' ') {
                lastSpace = i;
            }
            if (i - lineStart >= 76 && lastSpace > lineStart) {
                sb.append(s, lineStart, lastSpace).append("\r\n ");
                lineStart = lastSpace + 1;
                lastSpace = -1;
            }
        }
        return sb.append(s.substring(lineStart)).toString();
    }
}
