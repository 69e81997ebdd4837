package dev.mailkit.core.outbound;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;

import java.io.IOException;
import java.util.List;

/**
 * Where a receiver hands mail for remote recipients: a durable queue that delivers it onwards. The SMTP receiver
 * ({@code SmtpServer.Builder.relay(OutboundQueue)}) uses it in two steps so that {@code 250} covers both copies of a
 * transaction with local and remote recipients: it {@link #prepare prepares} the remote copy (durable, not yet
 * queued), lets its sink store the local copy, then {@link Prepared#commit() commits} the remote copy, or aborts it
 * if the sink failed. {@code mailkit-relay}'s {@code RelayQueue} implements it.
 *
 * <p>Implementations must be thread-safe.
 */
public interface OutboundQueue {
    /**
     * Writes a message durably without queuing it yet.
     *
     * @throws MailLoopException if the message has passed through too many servers (answered {@code 554 5.4.6})
     * @throws IOException       if it cannot be written (nothing is kept then)
     */
    Prepared prepare(Envelope envelope, MessageSource message) throws IOException;

    /**
     * Sends a "delivered" delivery status notification (RFC 3464) to the envelope's reverse-path for recipients
     * that were stored in local mailboxes and asked for one with {@code NOTIFY=SUCCESS} (RFC 3461). Best effort: a
     * notification that cannot be queued is logged, not thrown.
     */
    void reportDelivered(Envelope envelope, MessageSource message, List<MailAddress> recipients);

    /**
     * Whether the queue sends delivery status notifications, so that a receiver may offer the DSN extension
     * (RFC 3461). Default: true.
     */
    default boolean sendsNotifications() {
        return true;
    }

    /** A prepared message: {@link #commit()} queues it, {@link #abort()} (or closing first) discards it. One thread. */
    interface Prepared extends AutoCloseable {
        /** The queue id the message will have. */
        String id();

        /**
         * Queues the message durably and starts delivering it.
         *
         * @return the queue id
         * @throws IOException if it cannot be queued (it is discarded then)
         */
        String commit() throws IOException;

        /** Discards the message. Idempotent; does nothing after a commit. */
        void abort();

        /** Same as {@link #abort()} unless committed. */
        @Override
        default void close() {
            abort();
        }
    }
}
