package dev.mailkit.spring.internal;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.SmtpReply;
import dev.mailkit.core.sink.DeliveryReport;
import dev.mailkit.core.sink.MessageSink;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/** The application's sink, counting what it stored and what it could not (for the metrics). */
public final class CountingSink implements MessageSink {
    private final MessageSink sink;
    private final LongAdder delivered = new LongAdder();
    private final LongAdder failed = new LongAdder();

    /** Counts the deliveries of {@code sink}. */
    public CountingSink(MessageSink sink) {
        this.sink = sink;
    }

    @Override
    public DeliveryReport deliver(Envelope envelope, MessageSource message) throws IOException {
        DeliveryReport r;
        try {
            r = sink.deliver(envelope, message);
        } catch (IOException | RuntimeException e) {
            failed.increment();
            throw e;
        }
        (r.isAllDelivered() ? delivered : failed).increment();
        return r;
    }

    @Override
    public Optional<SmtpReply> checkRecipient(Envelope transaction, MailAddress recipient) {
        return sink.checkRecipient(transaction, recipient);
    }

    /** Transactions the sink stored for every recipient. */
    public long delivered() {
        return delivered.sum();
    }

    /** Transactions the sink failed for at least one recipient, or threw for. */
    public long failed() {
        return failed.sum();
    }

    @Override
    public String toString() {
        return sink.toString();
    }
}
