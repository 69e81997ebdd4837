package dev.mailkit.core.sink;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MessageSource;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A {@link MessageSink} that records every transaction in memory, once, with its whole envelope (every recipient,
 * BCC included): the sink for tests and for trying mailkit out. Waiting methods are woken by arrival, never by
 * polling.
 *
 * <p>Each recorded message keeps its source ({@link MessageSource#retain() retained}) until {@link #clear()}.
 * Thread-safe.
 */
public final class InMemorySink implements MessageSink {
    private final Arrivals<ReceivedMessage> messages = new Arrivals<>();

    @Override
    public DeliveryReport deliver(Envelope envelope, MessageSource message) {
        messages.add(new ReceivedMessage(envelope, message.retain()));
        return DeliveryReport.allDelivered(envelope.transactionId());
    }

    /** A snapshot of every message recorded so far, oldest first. */
    public List<ReceivedMessage> messages() {
        return messages.snapshot();
    }

    /** The number of messages recorded so far. */
    public int count() {
        return messages.size();
    }

    /**
     * Waits until at least {@code n} messages have been recorded.
     *
     * @return whether they arrived before the timeout
     */
    public boolean await(int n, Duration timeout) throws InterruptedException {
        return messages.awaitMatching(n, timeout, m -> true) != null;
    }

    /**
     * Returns the next message not yet returned by this method, waiting up to the timeout for it to arrive.
     *
     * @return the message, or empty on timeout
     */
    public Optional<ReceivedMessage> poll(Duration timeout) throws InterruptedException {
        return Optional.ofNullable(messages.takeNext(timeout));
    }

    /** Forgets every recorded message and releases their sources. */
    public void clear() {
        for (ReceivedMessage m : messages.clear()) {
            m.source().close();
        }
    }

    @Override
    public String toString() {
        return "InMemorySink{" + count() + " messages}";
    }
}
