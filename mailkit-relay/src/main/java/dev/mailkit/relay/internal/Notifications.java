package dev.mailkit.relay.internal;

import dev.mailkit.relay.spi.QueueStorage;

import dev.mailkit.core.Dsn;
import dev.mailkit.core.Envelope;
import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.MessageSpool;
import dev.mailkit.relay.RelayEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Queues the relay's delivery status notifications (RFC 3464, written by {@link DsnMessage}) to a message's
 * reverse-path, from the null reverse-path: bounces for failed and expired recipients whose NOTIFY allows it, "relayed"
 * reports for recipients with NOTIFY=SUCCESS handed to a server without DSN, and "delivered" reports for local
 * recipients the receiver stored. Nothing is ever sent to the null reverse-path. Thread-safe.
 */
final class Notifications {
    private static final Logger LOG = LoggerFactory.getLogger("dev.mailkit.relay");

    /** Puts a notification into the queue (durably) and returns its queue id. */
    @FunctionalInterface
    interface Queue {
        String enqueue(Envelope envelope, MessageSource message) throws IOException;
    }

    private final RelayConfig cfg;
    private final QueueStorage store;
    private final Events events;
    private final Queue queue;

    Notifications(RelayConfig cfg, QueueStorage store, Events events, Queue queue) {
        this.cfg = cfg;
        this.store = store;
        this.events = events;
        this.queue = queue;
    }

    /**
     * Queues a DSN for the bounced recipients to the reverse-path and adds its event; returns false if that failed.
     * Never to the null reverse-path: a bounce of a bounce is only reported by its events. Caller holds the message's
     * lock.
     */
    boolean bounce(StoredMessage m, List<Outcome> bounced, List<RelayEvent> out, Instant now) {
        if (m.reversePath == null) {
            LOG.info("{}: no DSN for {} recipient(s): the reverse-path is <>", m.id, bounced.size());
            return true;
        }
        List<Outcome> failed = new ArrayList<>();
        for (Outcome o : bounced) {
            if (m.reportsFailure(o.recipient)) {
                failed.add(o);
            } else {
                LOG.info("{}: no DSN for <{}>: the sender asked for NOTIFY={}", m.id, o.recipient,
                        m.notify(o.recipient));
            }
        }
        if (failed.isEmpty()) {
            return true;
        }
        boolean expired = failed.stream().allMatch(o -> "4.4.7".equals(o.status));
        return notify(m, failed, expired ? DsnMessage.Kind.EXPIRED : DsnMessage.Kind.FAILED, out, now);
    }

    /**
     * Queues a notification of the given kind about the recipients to the message's reverse-path and adds its event;
     * returns false if that failed. Caller holds the message's lock.
     */
    boolean notify(StoredMessage m, List<Outcome> outcomes, DsnMessage.Kind kind, List<RelayEvent> out, Instant now) {
        if (m.reversePath == null) {
            return true;
        }
        try {
            String id = write(m.id, m.reversePath, m.created, now, outcomes, new DsnMessage.Original() {
                @Override
                public InputStream open() throws IOException {
                    return store.content(m.id);
                }

                @Override
                public long size() {
                    return m.contentLength;
                }
            }, kind, request(m), "8BITMIME".equals(m.mailParameters.get("BODY")) ? Map.of("BODY", "8BITMIME")
                    : Map.of());
            List<MailAddress> recipients = new ArrayList<>(outcomes.size());
            for (Outcome o : outcomes) {
                recipients.add(o.recipient);
            }
            out.add(events.dsnQueued(m.id, now, recipients, id, (kind.success() ? "sender delivery notification "
                    : "sender non-delivery notification ") + id + " to <" + m.reversePath + ">"));
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.error("{}: cannot queue the DSN to <{}>: {}", m.id, m.reversePath, e.toString());
            return false;
        }
    }

    /**
     * Queues a "delivered" notification (RFC 3464) for recipients the receiver delivered locally that asked for
     * NOTIFY=SUCCESS. Best effort: a failure is logged.
     */
    void reportDelivered(Envelope envelope, MessageSource message, List<MailAddress> recipients) {
        MailAddress to = envelope.reversePath().orElse(null);
        if (to == null || recipients.isEmpty()) {
            return;
        }
        String id = envelope.transactionId().isEmpty() ? "local" : envelope.transactionId();
        List<Outcome> delivered = new ArrayList<>();
        for (MailAddress r : recipients) {
            delivered.add(new Outcome(r, Outcome.Kind.DELIVERED, null, "2.0.0", "delivered to mailbox", null, null,
                    null));
        }
        DsnMessage.Request request = new DsnMessage.Request() {
            @Override
            public String envelopeId() {
                return envelope.mailParameter("ENVID").filter(Dsn::validEnvid).orElse(null);
            }

            @Override
            public String originalRecipient(MailAddress recipient) {
                String orcpt = envelope.recipientParameters(recipient).get("ORCPT");
                return orcpt != null && Dsn.validOrcpt(orcpt) ? orcpt : null;
            }

            @Override
            public boolean headersOnly() {
                return true;
            }
        };
        try {
            String dsnId = write(id, to, envelope.receivedAt(), cfg.clock.instant(), delivered,
                    new DsnMessage.Original() {
                        @Override
                        public InputStream open() {
                            return message.openStream();
                        }

                        @Override
                        public long size() {
                            return message.size();
                        }
                    }, DsnMessage.Kind.DELIVERED, request, Map.of());
            LOG.info("{}: delivery notification {} to <{}> for {} recipient(s)", id, dsnId, to, recipients.size());
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: cannot queue the delivery notification to <{}>: {}", id, to, e.toString());
        }
    }

    /**
     * Writes a notification about {@code outcomes} of message {@code id} to {@code to}, from the null reverse-path,
     * and makes it part of the queue; returns its queue id. Nothing is left behind if it fails.
     */
    private String write(String id, MailAddress to, Instant arrival, Instant now, List<Outcome> outcomes,
                         DsnMessage.Original original, DsnMessage.Kind kind, DsnMessage.Request request,
                         Map<String, String> mailParameters) throws IOException {
        Envelope env = Envelope.builder().reversePath((MailAddress) null).recipient(to).mailParameters(mailParameters)
                .build();
        MessageSpool.Writer w = cfg.spool.newWriter();
        try {
            ZoneId zone = cfg.clock.getZone() == null ? ZoneId.systemDefault() : cfg.clock.getZone();
            String boundary = id + "/" + Long.toHexString(cfg.random.nextLong()) + "/" + cfg.hostName;
            DsnMessage.write(w, cfg.hostName, id, to, arrival.atZone(zone), now.atZone(zone), outcomes, original,
                    cfg.bounceSizeLimit, boundary, kind, request);
            try (MessageSource dsn = w.finish()) {
                return queue.enqueue(env, dsn);
            }
        } catch (IOException | RuntimeException e) {
            w.abort();
            throw e;
        }
    }

    /** The message's DSN parameters (RFC 3461) for its notifications. */
    private static DsnMessage.Request request(StoredMessage m) {
        return new DsnMessage.Request() {
            @Override
            public String envelopeId() {
                return m.mailParameters.get("ENVID");
            }

            @Override
            public String originalRecipient(MailAddress recipient) {
                return m.originalRecipient(recipient);
            }

            @Override
            public boolean headersOnly() {
                return "HDRS".equals(m.mailParameters.get("RET"));
            }
        };
    }
}
