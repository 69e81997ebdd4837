package dev.mailkit.scan;

import dev.mailkit.core.Envelope;

import java.time.Instant;
import java.util.Objects;

/**
 * A message held in a {@link Quarantine}: its id, its envelope (reverse-path, recipients, transaction id), why it was
 * held, when, and its size.
 *
 * @param id       the quarantine's id for it
 * @param envelope the envelope it arrived with
 * @param reason   why it was held (printable text, e.g. {@code clamd: virus Eicar-Test-Signature})
 * @param heldAt   when
 * @param size     the message's size in octets
 */
public record QuarantinedMessage(String id, Envelope envelope, String reason, Instant heldAt, long size) {
    /** Checks for nulls. */
    public QuarantinedMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(heldAt, "heldAt");
    }
}
