package dev.mailkit.core;

import java.util.List;
import java.util.Objects;

/**
 * An SMTP reply: a three-digit code (RFC 5321 4.2), an enhanced status code (RFC 3463, such as {@code 5.7.1}) and
 * one or more lines of text. Used by filters and sinks to say what the client should be told.
 *
 * <p>Text from outside (a remote server, a user name) must never smuggle a line break into a reply: the factory
 * methods refuse CR, LF and NUL. Immutable and thread-safe.
 */
public final class SmtpReply {

    private final int code;
    private final String enhancedStatus;
    private final List<String> lines;

    private SmtpReply(int code, String enhancedStatus, List<String> lines) {
        this.code = code;
        this.enhancedStatus = enhancedStatus;
        this.lines = lines;
    }

    /**
     * Creates a reply.
     *
     * @param code           200..599
     * @param enhancedStatus an RFC 3463 status whose class matches the code's first digit, e.g. {@code 5.1.1}
     * @param text           human-readable text; no CR, LF or NUL
     * @throws IllegalArgumentException if any part is malformed; the message says which
     */
    public static SmtpReply of(int code, String enhancedStatus, String text) {
        return new SmtpReply(checkCode(code), checkStatus(code, enhancedStatus), List.of(checkText(text)));
    }

    /** Creates a multi-line reply; every line gets the same code and enhanced status. */
    public static SmtpReply multiline(int code, String enhancedStatus, List<String> lines) {
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("a reply needs at least one line of text");
        }
        for (String l : lines) {
            checkText(l);
        }
        return new SmtpReply(checkCode(code), checkStatus(code, enhancedStatus), List.copyOf(lines));
    }

    /** 250 2.0.0 with the given text. */
    public static SmtpReply ok(String text) {
        return of(250, "2.0.0", text);
    }

    /** The three-digit reply code. */
    public int code() {
        return code;
    }

    /** The RFC 3463 enhanced status code, e.g. {@code 5.7.1}. */
    public String enhancedStatus() {
        return enhancedStatus;
    }

    /** The text of the first line. */
    public String text() {
        return lines.get(0);
    }

    /** All lines of text (at least one). */
    public List<String> lines() {
        return lines;
    }

    /** 2xx. */
    public boolean isPositive() {
        return code < 400;
    }

    /** 4xx: the client should try again later. */
    public boolean isTransientFailure() {
        return code >= 400 && code < 500;
    }

    /** 5xx: the client must not retry. */
    public boolean isPermanentFailure() {
        return code >= 500;
    }

    /** The reply as it goes on the wire, lines joined with CRLF, without the final CRLF. */
    public String toWireFormat() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            if (i > 0) {
                sb.append("\r\n");
            }
            sb.append(code).append(i == lines.size() - 1 ? ' ' : '-').append(enhancedStatus).append(' ')
                    .append(lines.get(i));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return code + " " + enhancedStatus + " " + String.join(" / ", lines);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SmtpReply && ((SmtpReply) o).code == code
                && ((SmtpReply) o).enhancedStatus.equals(enhancedStatus) && ((SmtpReply) o).lines.equals(lines);
    }

    @Override
    public int hashCode() {
        return Objects.hash(code, enhancedStatus, lines);
    }

    private static int checkCode(int code) {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("SMTP reply code " + code + " is outside 200..599");
        }
        return code;
    }

    private static String checkStatus(int code, String status) {
        Objects.requireNonNull(status, "enhancedStatus");
        if (!isEnhancedStatus(status) || status.charAt(0) - '0' != code / 100) {
            throw new IllegalArgumentException("enhanced status '" + status + "' is not an RFC 3463 code of class "
                    + code / 100 + " (for example " + code / 100 + ".0.0)");
        }
        return status;
    }

    /** RFC 3463: class "." subject "." detail, class 2, 4 or 5, subject and detail of 1 to 3 digits. */
    private static boolean isEnhancedStatus(String s) {
        int n = s.length();
        if (n < 5 || (s.charAt(0) != '2' && s.charAt(0) != '4' && s.charAt(0) != '5') || s.charAt(1) != '.') {
            return false;
        }
        int dot = s.indexOf('.', 2);
        return dot > 2 && dot <= 5 && digits(s, 2, dot) && n - dot - 1 >= 1 && n - dot - 1 <= 3 && digits(s, dot + 1, n);
    }

    private static boolean digits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    static String checkText(String text) {
        Objects.requireNonNull(text, "text");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                throw new IllegalArgumentException("reply text must not contain CR, LF or NUL: "
                        + MailAddress.printableString(text));
            }
        }
        return text;
    }
}
