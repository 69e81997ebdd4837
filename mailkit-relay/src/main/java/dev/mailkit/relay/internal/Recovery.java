package dev.mailkit.relay.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * Puts the queue directory back into service at start: every message the {@link QueueStore} recovers gets its state
 * records applied ({@link StateRecords}); one that turns out finished (its removal was not yet durable before a crash)
 * leaves the store, the others join the queue and, unless held, are scheduled at their next attempt or now.
 */
final class Recovery {
    private static final Logger LOG = LoggerFactory.getLogger("dev.mailkit.relay");

    private Recovery() {
    }

    /** Recovers the directory's messages into {@code messages} and schedules them; returns how many were queued. */
    static int recover(RelayConfig cfg, QueueStore store, LiveMessages messages, Scheduler scheduler)
            throws IOException {
        int recovered = 0;
        long now = cfg.clock.millis();
        for (QueueStore.Recovered r : store.recover()) {
            StoredMessage m = r.message;
            StateRecords.apply(m, r.records);
            if (m.isFinished()) {
                store.remove(m, false);
                continue;
            }
            messages.add(m);
            recovered++;
            if (!m.held) {
                scheduler.schedule(m, Math.max(now, m.nextAttempt));
            }
        }
        if (recovered > 0) {
            LOG.info("relay queue {}: recovered {} message(s)", cfg.directory, recovered);
        }
        return recovered;
    }
}
