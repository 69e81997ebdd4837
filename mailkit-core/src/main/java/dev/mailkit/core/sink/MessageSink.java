package dev.mailkit.core.sink;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.SmtpReply;

import java.io.IOException;
import java.util.Optional;

/**
 * Where a receiving server hands each accepted message: the application's handler, a delivery agent that files it
 * into mailboxes, a relay queue, or an {@link InMemorySink} in tests.
 *
 * <p>The contract that makes {@code 250} mean "safe": {@link #deliver} returns only after the message is stored
 * durably for every recipient it does not report as failed. If it throws, the client is told {@code 451 4.3.0}
 * (try again) for the whole transaction. It is called once per transaction with the whole envelope (all
 * recipients), from many sessions at once: implementations must be thread-safe.
 */
@FunctionalInterface
public interface MessageSink {
    /**
     * Stores the message for the envelope's recipients.
     *
     * @param envelope the complete envelope
     * @param message  the message, including the server's {@code Received:} header; valid only during the call
     *                 unless {@link MessageSource#retain() retained}
     * @return which recipients failed, if any
     * @throws IOException if nothing could be stored; the client will retry
     */
    DeliveryReport deliver(Envelope envelope, MessageSource message) throws IOException;

    /**
     * Called at RCPT time, after the server's recipient policy accepted the address: a sink can refuse early, for
     * example {@code 452 4.2.2} when the mailbox is over quota. The default accepts.
     *
     * @param transaction the envelope so far (reverse-path and the recipients accepted before this one)
     * @return a failure reply, or empty to accept
     */
    default Optional<SmtpReply> checkRecipient(Envelope transaction, MailAddress recipient) {
        return Optional.empty();
    }
}
