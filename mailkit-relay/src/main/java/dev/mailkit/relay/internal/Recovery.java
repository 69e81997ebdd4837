package dev.mailkit.relay.internal;

import dev.mailkit.relay.spi.QueueStorage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;

/**
 * Puts recovered messages into service: at start every message the {@link QueueStorage} recovers, and later those it
 * hands over from another node ({@link QueueStorage#claim}). Each gets its recorded changes applied
 * ({@link StateRecords#apply}); one that turns out finished (its removal was not yet durable before a crash) leaves the
 * storage, the others join the queue and, unless held, are scheduled at their next attempt or now.
 */
final class Recovery {
    private static final Logger LOG = LoggerFactory.getLogger("dev.mailkit.relay");

    private Recovery() {
    }

    /** Recovers the storage's messages into {@code messages} and schedules them; returns how many were queued. */
    static int recover(RelayConfig cfg, QueueStorage store, LiveMessages messages, Scheduler scheduler)
            throws IOException {
        int recovered = admit(cfg, store.recover(), store, messages, scheduler);
        if (recovered > 0) {
            LOG.info("relay queue {}: recovered {} message(s)", store.describe(), recovered);
        }
        return recovered;
    }

    /** Queues and schedules messages handed over by the storage; returns how many were queued. */
    static int admit(RelayConfig cfg, List<QueueStorage.Recovered> recovered, QueueStorage store,
                     LiveMessages messages, Scheduler scheduler) throws IOException {
        int queued = 0;
        long now = cfg.clock.millis();
        for (QueueStorage.Recovered r : recovered) {
            StoredMessage m = new StoredMessage(r.message(), r.contentLength());
            StateRecords.apply(m, r.changes());
            if (m.isFinished()) {
                store.remove(m.id, false);
                continue;
            }
            StoredMessage stale = messages.get(m.id);
            if (stale != null) {
                // handed over again: this node's lease ran out (another node may have claimed the message and
                // recorded results meanwhile) and it claimed the message back. An idle copy from before goes, for the
                // recorded state; one with an attempt under way stays (that attempt records under the new claim)
                stale.lock.lock();
                try {
                    if (stale.jobsInFlight > 0) {
                        continue;
                    }
                    stale.deleted = true;
                } finally {
                    stale.lock.unlock();
                }
                messages.remove(stale);
            }
            messages.add(m);
            queued++;
            if (!m.held) {
                scheduler.schedule(m, Math.max(now, m.nextAttempt));
            }
        }
        return queued;
    }
}
