package dev.mailkit.web;

import dev.mailkit.core.Envelope;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Where one message went, as the inbox's "delivery trace" shows it: the SMTP transaction (or web submission) that
 * brought it, its envelope (every recipient, BCC included), the session transcript up to the message, and the
 * events since: delivered into which mailbox, queued for relay, each relay attempt with the remote server's reply,
 * bounces. Immutable: a snapshot taken when asked for.
 *
 * @param transactionId the id mailkit's {@code Received:} field and the {@code 250} reply name
 * @param envelope      the envelope
 * @param transcript    the session's commands and replies up to the end of the message (no content, no
 *                      credentials); empty when not recorded
 * @param events        what happened since, oldest first
 */
public record MessageTrace(String transactionId, Envelope envelope, List<String> transcript, List<Event> events) {
    /** Validates and copies. */
    public MessageTrace {
        Objects.requireNonNull(transactionId, "transactionId");
        Objects.requireNonNull(envelope, "envelope");
        transcript = List.copyOf(transcript);
        events = List.copyOf(events);
    }

    /**
     * One thing that happened to the message.
     *
     * @param time   when
     * @param kind   what: {@code received}, {@code submitted}, {@code delivered}, {@code failed}, {@code queued},
     *               {@code relayed}, {@code deferred}, {@code bounced}, {@code expired}, {@code held},
     *               {@code released}, {@code deleted}, {@code dsn}
     * @param subject the recipient or mailbox it concerns, or empty
     * @param detail  a one-line explanation (the remote reply for relay attempts)
     */
    public record Event(Instant time, String kind, String subject, String detail) {
        /** Validates. */
        public Event {
            Objects.requireNonNull(time, "time");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
