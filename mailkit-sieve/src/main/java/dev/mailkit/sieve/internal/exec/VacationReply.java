package dev.mailkit.sieve.internal.exec;

import jakarta.mail.internet.MimeUtility;

import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * Composes a vacation reply as Pigeonhole does (RFC 5230 5): Message-ID, Date, From, To, Subject, In-Reply-To and
 * References, {@code Auto-Submitted: auto-replied (vacation)}, {@code Precedence: bulk},
 * {@code X-Auto-Response-Suppress: All}, MIME headers, and the reason. Nothing from the incoming message or the
 * script reaches a header unchecked: the subject has control characters replaced by spaces, is cut to
 * {@value #MAX_SUBJECT} characters and encoded (RFC 2047) when not ASCII; addresses were validated; message ids
 * are taken only when they look like one. Stateless.
 */
public final class VacationReply {
    static final int MAX_SUBJECT = 256;
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z",
            Locale.ROOT);

    private VacationReply() {
    }

    /** The subject without {@code :subject}: "Auto: " and the original one, or "Automated reply". */
    public static String defaultSubject(MailMessage m) {
        List<String> s = m.decoded("subject");
        return s.isEmpty() ? "Automated reply" : "Auto: " + s.get(0);
    }

    /** A header value made safe: control characters (CR, LF, ...) become spaces; at most {@code max} chars. */
    public static String sanitize(String s, int max) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), max));
        for (int i = 0; i < s.length() && b.length() < max; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029 || c == 0x85 ? ' ' : c);
        }
        return b.toString().strip();
    }

    /**
     * The reply's bytes (CRLF line ends).
     *
     * @param from     the From header's address (validated)
     * @param to       the sender
     * @param subject  the subject (sanitised here)
     * @param reason   the text, or a MIME entity when {@code mime}
     * @param msgId    the new Message-ID, with angle brackets
     */
    public static byte[] compose(MailMessage original, String from, String to, String subject, String reason,
                                 boolean mime, String msgId, ZonedDateTime now) {
        StringBuilder b = new StringBuilder(512 + reason.length());
        header(b, "Message-ID", msgId);
        header(b, "Date", DATE.format(now));
        header(b, "From", from);
        header(b, "To", replyTo(original, to));
        header(b, "Subject", encode(sanitize(subject, MAX_SUBJECT)));
        String id = messageId(original.raw("message-id"));
        String refs = references(original.raw("references"));
        if (id != null) {
            header(b, "In-Reply-To", id);
            header(b, "References", refs == null ? id : refs + " " + id);
        } else if (refs != null) {
            header(b, "References", refs);
        }
        header(b, "Auto-Submitted", "auto-replied (vacation)");
        header(b, "Precedence", "bulk");
        header(b, "X-Auto-Response-Suppress", "All");
        header(b, "MIME-Version", "1.0");
        if (!mime) {
            header(b, "Content-Type", "text/plain; charset=utf-8");
            header(b, "Content-Transfer-Encoding", "8bit");
            b.append("\r\n");
        }
        b.append(crlf(reason));
        if (!reason.endsWith("\n")) {
            b.append("\r\n");
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The reply's To: the sender's address as the first of Sender, Resent-From and From that names it gives it (with
     * its display name, quoted), else the bare address (Pigeonhole's choice).
     */
    static String replyTo(MailMessage m, String sender) {
        for (String h : List.of("sender", "resent-from", "from")) {
            List<String> values = m.raw(h);
            if (values.isEmpty()) {
                continue;
            }
            try {
                for (jakarta.mail.internet.InternetAddress a
                        : jakarta.mail.internet.InternetAddress.parseHeader(values.get(0), false)) {
                    if (a.getAddress() != null && a.getAddress().equalsIgnoreCase(sender)) {
                        String name = a.getPersonal();
                        if (name == null || name.isEmpty()) {
                            return "<" + sender + ">";
                        }
                        return displayName(sanitize(name, 128)) + " <" + sender + ">";
                    }
                }
            } catch (jakarta.mail.internet.AddressException e) {
                // not an address field: go on
            }
        }
        return "<" + sender + ">";
    }

    /** A display name: an encoded word when not ASCII, quoted when it is not one atom, as Pigeonhole writes it. */
    static String displayName(String name) {
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) >= 0x80) {
                try {
                    return MimeUtility.encodeWord(name, "utf-8", "Q");
                } catch (UnsupportedEncodingException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        if (name.matches("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+")) {
            return name;
        }
        return "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static void header(StringBuilder b, String name, String value) {
        b.append(name).append(": ").append(value).append("\r\n");
    }

    private static String encode(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                try {
                    return MimeUtility.fold(9, MimeUtility.encodeText(s, "utf-8", "Q"));
                } catch (UnsupportedEncodingException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return s;
    }

    /** A message id if the value is one ({@code <...@...>} without spaces or controls), else null. */
    static String messageId(List<String> values) {
        if (values.isEmpty()) {
            return null;
        }
        String v = values.get(0).strip();
        return v.matches("<[^<>\\s@]+@[^<>\\s]+>") && v.length() <= 998 ? v : null;
    }

    private static String references(List<String> values) {
        if (values.isEmpty()) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        for (String id : values.get(0).strip().split("\\s+")) {
            if (id.matches("<[^<>\\s@]+@[^<>\\s]+>") && b.length() < 4000) {
                b.append(b.length() == 0 ? "" : " ").append(id);
            }
        }
        return b.length() == 0 ? null : b.toString();
    }

    static String crlf(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r') {
                continue;
            }
            if (c == '\n') {
                b.append('\r');
            }
            b.append(c);
        }
        return b.toString();
    }
}
