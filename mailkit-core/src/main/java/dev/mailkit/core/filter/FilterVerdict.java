package dev.mailkit.core.filter;

import dev.mailkit.core.SmtpReply;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * What a {@link MailFilter} decides at one SMTP stage: accept (optionally adding header fields, which only the DATA
 * stage can add to the message), reject permanently with a 5xx reply, or fail temporarily with a 4xx reply so that
 * the client tries again later. A temporary failure with code 421 also closes the connection, and
 * {@link #disconnect()} closes it without any reply (to simulate a failing server in tests, or to drop a client).
 *
 * <p>Immutable and thread-safe.
 */
public final class FilterVerdict {
    private static final FilterVerdict ACCEPT = new FilterVerdict(null, List.of(), false);
    private static final FilterVerdict DISCONNECT = new FilterVerdict(null, List.of(), true);

    private final SmtpReply reply;
    private final List<HeaderField> headers;
    private final boolean disconnect;

    private FilterVerdict(SmtpReply reply, List<HeaderField> headers, boolean disconnect) {
        this.reply = reply;
        this.headers = headers;
        this.disconnect = disconnect;
    }

    /**
     * Close the connection at once, without a reply. The transaction is abandoned: nothing is delivered, and a
     * well-behaved client will try again later.
     */
    public static FilterVerdict disconnect() {
        return DISCONNECT;
    }

    /** Accept and go on to the next filter. */
    public static FilterVerdict accept() {
        return ACCEPT;
    }

    /**
     * Reject permanently.
     *
     * @param code           a 5xx code, e.g. 550
     * @param enhancedStatus a 5.x.x status, e.g. {@code 5.7.1}
     * @throws IllegalArgumentException if the code is not 5xx
     */
    public static FilterVerdict reject(int code, String enhancedStatus, String text) {
        if (code < 500 || code > 599) {
            throw new IllegalArgumentException("reject needs a 5xx code, was " + code + " (use tempFail for 4xx)");
        }
        return new FilterVerdict(SmtpReply.of(code, enhancedStatus, text), List.of(), false);
    }

    /**
     * Fail temporarily: the client should try again later.
     *
     * @param code a 4xx code, e.g. 451; 421 also closes the connection
     * @throws IllegalArgumentException if the code is not 4xx
     */
    public static FilterVerdict tempFail(int code, String enhancedStatus, String text) {
        if (code < 400 || code > 499) {
            throw new IllegalArgumentException("tempFail needs a 4xx code, was " + code + " (use reject for 5xx)");
        }
        return new FilterVerdict(SmtpReply.of(code, enhancedStatus, text), List.of(), false);
    }

    /** Accept and add a header field at the top of the message (honoured at the DATA stage). */
    public static FilterVerdict addHeader(String name, String value) {
        return ACCEPT.withHeader(name, value);
    }

    /**
     * This verdict with one more header field.
     *
     * @throws IllegalStateException if this verdict is not an accept
     */
    public FilterVerdict withHeader(String name, String value) {
        if (!isAccept()) {
            throw new IllegalStateException("only an accepting verdict can add header fields");
        }
        List<HeaderField> l = new ArrayList<>(headers);
        l.add(new HeaderField(name, value));
        return new FilterVerdict(null, Collections.unmodifiableList(l), false);
    }

    /** Whether the stage may go on. */
    public boolean isAccept() {
        return reply == null && !disconnect;
    }

    /** Whether the connection is to be closed without a reply. */
    public boolean isDisconnect() {
        return disconnect;
    }

    /** The failure reply, for a reject or a temporary failure (empty for accept and disconnect). */
    public Optional<SmtpReply> reply() {
        return Optional.ofNullable(reply);
    }

    /** The header fields to add, in order (empty unless accepting). */
    public List<HeaderField> headers() {
        return headers;
    }

    @Override
    public String toString() {
        if (disconnect) {
            return "disconnect";
        }
        return reply == null ? "accept" + (headers.isEmpty() ? "" : " " + headers) : reply.toString();
    }
}
