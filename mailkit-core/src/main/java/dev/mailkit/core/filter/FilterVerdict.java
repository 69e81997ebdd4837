package dev.mailkit.core.filter;

import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.SmtpReply;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link MailFilter} decides at one SMTP stage: accept (optionally adding header fields, which only the DATA
 * stage can add to the message), reject permanently with a 5xx reply, or fail temporarily with a 4xx reply so that
 * the client tries again later. A temporary failure with code 421 also closes the connection, and
 * {@link #disconnect()} closes it without any reply (to simulate a failing server in tests, or to drop a client).
 *
 * <p>At the DATA stage an accepting verdict may also change the transaction, as a content scanner or a milter asks:
 * {@link #withMessage replace the message} (header fields rewritten, a body replaced), {@link #withRecipients change
 * the recipients}, or {@link #discard() discard} the message (the client hears {@code 250}, nobody gets it: a milter's
 * DISCARD, or a message held in a quarantine). Other stages ignore these.
 *
 * <p>Immutable and thread-safe.
 */
public final class FilterVerdict {
    private static final FilterVerdict ACCEPT = new FilterVerdict(null, List.of(), false, false, null, null);
    private static final FilterVerdict DISCONNECT = new FilterVerdict(null, List.of(), true, false, null, null);
    private static final FilterVerdict DISCARD = new FilterVerdict(null, List.of(), false, true, null, null);

    private final SmtpReply reply;
    private final List<HeaderField> headers;
    private final boolean disconnect;
    private final boolean discard;
    private final MessageSource message;
    private final List<MailAddress> recipients;

    private FilterVerdict(SmtpReply reply, List<HeaderField> headers, boolean disconnect, boolean discard,
                          MessageSource message, List<MailAddress> recipients) {
        this.reply = reply;
        this.headers = headers;
        this.disconnect = disconnect;
        this.discard = discard;
        this.message = message;
        this.recipients = recipients;
    }

    /**
     * Close the connection at once, without a reply. The transaction is abandoned: nothing is delivered, and a
     * well-behaved client will try again later.
     */
    public static FilterVerdict disconnect() {
        return DISCONNECT;
    }

    /**
     * At the DATA stage: accept the message (the client hears {@code 250}) but deliver it to nobody, and run no
     * further filters. Elsewhere it is an accept.
     */
    public static FilterVerdict discard() {
        return DISCARD;
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
        return new FilterVerdict(SmtpReply.of(code, enhancedStatus, text), List.of(), false, false, null, null);
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
        return new FilterVerdict(SmtpReply.of(code, enhancedStatus, text), List.of(), false, false, null, null);
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
        return new FilterVerdict(null, Collections.unmodifiableList(l), false, discard, message, recipients);
    }

    /**
     * This verdict with the message replaced (DATA stage): the server delivers {@code replacement}, with this
     * verdict's {@link #headers()} in front of it, instead of the message the filter was given, and later filters
     * see the replacement. The replacement must be the whole message as it is to be stored, including the trace
     * fields (such as {@code Received:}) the filter was given. The server takes over one reference to it and closes
     * it when the transaction is done, whatever happens.
     *
     * @throws IllegalStateException if this verdict is not an accept, or is a discard
     */
    public FilterVerdict withMessage(MessageSource replacement) {
        Objects.requireNonNull(replacement, "replacement");
        if (!isAccept() || discard) {
            throw new IllegalStateException("only an accepting verdict can replace the message");
        }
        return new FilterVerdict(null, headers, false, false, replacement, recipients);
    }

    /**
     * This verdict with the transaction's recipients replaced (DATA stage), as a milter's add and delete recipient
     * actions ask. Removing recipients is always possible; the server adds a recipient that was not in the envelope
     * only if it is in one of its local domains (it never relays because a filter asked it to). Should that leave no
     * recipient at all, the envelope's recipients get the message (nothing is lost silently); a filter that wants the
     * message delivered to nobody says {@link #discard()}.
     *
     * @throws IllegalArgumentException if the list is empty (use {@link #discard()})
     * @throws IllegalStateException    if this verdict is not an accept, or is a discard
     */
    public FilterVerdict withRecipients(List<MailAddress> recipients) {
        List<MailAddress> copy = List.copyOf(recipients);
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("a transaction needs at least one recipient; use discard() to deliver "
                    + "the message to nobody");
        }
        if (!isAccept() || discard) {
            throw new IllegalStateException("only an accepting verdict can change the recipients");
        }
        return new FilterVerdict(null, headers, false, false, message, copy);
    }

    /** Whether the stage may go on. */
    public boolean isAccept() {
        return reply == null && !disconnect;
    }

    /** Whether the message is to be accepted and delivered to nobody ({@link #discard()}). */
    public boolean isDiscard() {
        return discard;
    }

    /** The replacement message ({@link #withMessage}), if any. */
    public Optional<MessageSource> message() {
        return Optional.ofNullable(message);
    }

    /** The replacement recipients ({@link #withRecipients}), if any. */
    public Optional<List<MailAddress>> recipients() {
        return Optional.ofNullable(recipients);
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
        if (discard) {
            return "discard";
        }
        return reply == null ? "accept" + (headers.isEmpty() ? "" : " " + headers)
                + (message == null ? "" : " with a new message") + (recipients == null ? "" : " for " + recipients)
                : reply.toString();
    }
}
