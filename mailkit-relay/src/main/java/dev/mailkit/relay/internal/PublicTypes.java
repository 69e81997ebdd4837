package dev.mailkit.relay.internal;

import dev.mailkit.core.MailAddress;
import dev.mailkit.relay.QueueEntry;
import dev.mailkit.relay.RelayEvent;

import java.time.Instant;
import java.util.List;

/**
 * Makes the public value types whose constructors the API keeps to itself: {@link RelayEvent}s and the
 * {@link QueueEntry} snapshots of the management API. {@code RelayQueue} hands the engine one made in its own package,
 * which may call those constructors; nothing here is static, so two queues in one JVM share nothing.
 */
public interface PublicTypes {
    /**
     * An event about a message as a whole: queued, held, released, deleted, or a DSN queued for it.
     *
     * @param relatedId the DSN's queue id for {@link RelayEvent.Type#DSN_QUEUED}, else null
     */
    RelayEvent messageEvent(RelayEvent.Type type, String queueId, Instant time, List<MailAddress> recipients,
                            String relatedId, String detail);

    /**
     * What an attempt did for one recipient (delivered, deferred, bounced, expired).
     *
     * @param destination the destination as reported: the domain, {@code [literal]}, or the smart host's address
     * @param nextAttempt for a deferral with a retry scheduled, when it is due; else null
     */
    RelayEvent outcomeEvent(RelayEvent.Type type, String queueId, Instant time, Outcome outcome, String destination,
                            int attempt, Instant nextAttempt);

    /** One recipient of a queue snapshot. */
    QueueEntry.Recipient recipient(MailAddress address, QueueEntry.State state, String lastReply);

    /** A queue snapshot of one message. */
    QueueEntry entry(String id, MailAddress reversePath, List<QueueEntry.Recipient> recipients, Instant created,
                     long size, int attempts, Instant nextAttempt, boolean held, boolean notification, String origin);
}
