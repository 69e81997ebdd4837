package dev.mailkit.core.sink;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MessageSource;

import java.util.Objects;

/**
 * One recorded SMTP transaction: its whole envelope and the message bytes (as delivered, with the server's
 * {@code Received:} header). Immutable; the source stays readable until the recording sink is cleared.
 */
public final class ReceivedMessage {
    private final Envelope envelope;
    private final MessageSource source;

    /** Creates the record. */
    public ReceivedMessage(Envelope envelope, MessageSource source) {
        this.envelope = Objects.requireNonNull(envelope, "envelope");
        this.source = Objects.requireNonNull(source, "source");
    }

    /** The envelope: reverse-path, every recipient (BCC included), client details. */
    public Envelope envelope() {
        return envelope;
    }

    /** The message. */
    public MessageSource source() {
        return source;
    }

    @Override
    public String toString() {
        return envelope + " " + source.size() + " bytes";
    }
}
