package dev.mailkit.examples;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.outbound.OutboundQueue;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An outbound queue bound after it is handed out: the delivery agent's Sieve rule needs the relay queue for
 * redirects and vacation replies, and the relay queue needs the agent (its local deliveries). Until it is bound,
 * preparing fails (the rule then keeps the message). Thread-safe.
 */
final class LateQueue implements OutboundQueue {
    private final AtomicReference<OutboundQueue> queue = new AtomicReference<>();

    void bind(OutboundQueue q) {
        queue.set(q);
    }

    private OutboundQueue queue() throws IOException {
        OutboundQueue q = queue.get();
        if (q == null) {
            throw new IOException("the relay queue is not running yet");
        }
        return q;
    }

    @Override
    public Prepared prepare(Envelope envelope, MessageSource message) throws IOException {
        return queue().prepare(envelope, message);
    }

    @Override
    public void reportDelivered(Envelope envelope, MessageSource message, List<MailAddress> recipients) {
        OutboundQueue q = queue.get();
        if (q != null) {
            q.reportDelivered(envelope, message, recipients);
        }
    }
}
