package dev.mailkit.relay.internal;

import dev.mailkit.core.MailAddress;
import dev.mailkit.relay.RelayEvent;
import dev.mailkit.relay.RelayListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;

/**
 * Makes the relay's events (through {@link PublicTypes}) and tells them: a log line (logger {@code dev.mailkit.relay}:
 * bounces and expiries as warnings, the queueing of a message at debug level, the rest as information) and every
 * listener, one failing listener not keeping the others from hearing. Thread-safe.
 */
final class Events {
    private static final Logger LOG = LoggerFactory.getLogger("dev.mailkit.relay");

    private final PublicTypes types;
    private final List<RelayListener> listeners;
    private final Router router;

    Events(PublicTypes types, List<RelayListener> listeners, Router router) {
        this.types = types;
        this.listeners = listeners;
        this.router = router;
    }

    /** An event about the message as a whole (queued, held, released, deleted). */
    RelayEvent about(RelayEvent.Type type, String queueId, Instant time, List<MailAddress> recipients, String detail) {
        return types.messageEvent(type, queueId, time, recipients, null, detail);
    }

    /** A DSN for some recipients of the message was queued under {@code dsnId}. */
    RelayEvent dsnQueued(String queueId, Instant time, List<MailAddress> recipients, String dsnId, String detail) {
        return types.messageEvent(RelayEvent.Type.DSN_QUEUED, queueId, time, recipients, dsnId, detail);
    }

    /** What an attempt did for one recipient; {@code next} only for a deferral with a retry scheduled. */
    RelayEvent outcome(RelayEvent.Type type, StoredMessage m, Outcome o, Instant now, int attempt, Instant next) {
        return types.outcomeEvent(type, m.id, now, o, router.reportedDestination(o.recipient), attempt, next);
    }

    void emit(RelayEvent e) {
        switch (e.type()) {
            case BOUNCED:
            case EXPIRED:
                LOG.warn("{}", e);
                break;
            case QUEUED:
                LOG.debug("{}", e);
                break;
            default:
                LOG.info("{}", e);
        }
        for (RelayListener l : listeners) {
            try {
                l.onEvent(e);
            } catch (RuntimeException ex) {
                LOG.warn("relay listener {} failed on {}: {}", l, e.type(), ex.toString());
            }
        }
    }
}
