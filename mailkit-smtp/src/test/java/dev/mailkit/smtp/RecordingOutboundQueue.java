package dev.mailkit.smtp;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.outbound.OutboundQueue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@link OutboundQueue} for the receiver's tests: keeps what was committed (envelope and bytes) and what was
 * reported delivered, in memory. The relay's own queue is tested in mailkit-relay.
 */
final class RecordingOutboundQueue implements OutboundQueue {
    /** One committed message. */
    record Queued(String id, Envelope envelope, String content) {
    }

    final List<Queued> committed = new CopyOnWriteArrayList<>();
    final List<MailAddress> reportedDelivered = new CopyOnWriteArrayList<>();
    final AtomicInteger aborted = new AtomicInteger();
    private final AtomicInteger ids = new AtomicInteger();

    @Override
    public Prepared prepare(Envelope envelope, MessageSource message) throws java.io.IOException {
        String id = "Q" + ids.incrementAndGet();
        String content = message.asString();
        return new Prepared() {
            private boolean done;

            @Override
            public String id() {
                return id;
            }

            @Override
            public String commit() {
                done = true;
                committed.add(new Queued(id, envelope, content));
                return id;
            }

            @Override
            public void abort() {
                if (!done) {
                    done = true;
                    aborted.incrementAndGet();
                }
            }
        };
    }

    @Override
    public void reportDelivered(Envelope envelope, MessageSource message, List<MailAddress> recipients) {
        reportedDelivered.addAll(recipients);
    }
}
