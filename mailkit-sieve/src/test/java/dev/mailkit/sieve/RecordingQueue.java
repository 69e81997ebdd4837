package dev.mailkit.sieve;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.outbound.OutboundQueue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** An outbound queue that keeps what is committed (and counts what was prepared and aborted), for assertions. */
final class RecordingQueue implements OutboundQueue {
    record Queued(Envelope envelope, String message) {
    }

    final List<Queued> committed = new CopyOnWriteArrayList<>();
    final AtomicInteger prepared = new AtomicInteger();
    final AtomicInteger aborted = new AtomicInteger();

    @Override
    public Prepared prepare(Envelope envelope, MessageSource message) throws IOException {
        prepared.incrementAndGet();
        String text;
        try (InputStream in = message.openStream()) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String id = "Q" + prepared.get();
        return new Prepared() {
            private boolean done;

            @Override
            public String id() {
                return id;
            }

            @Override
            public String commit() {
                if (!done) {
                    done = true;
                    committed.add(new Queued(envelope, text));
                }
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
    }
}
