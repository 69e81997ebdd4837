package dev.mailkit.relay;

import dev.mailkit.core.MailAddress;
import dev.mailkit.relay.internal.Outcome;
import dev.mailkit.relay.internal.PublicTypes;

import java.time.Instant;
import java.util.List;

/**
 * The engine's way to the package-private constructors of {@link RelayEvent} and {@link QueueEntry}: one per
 * {@link RelayQueue}, stateless.
 */
final class PublicTypeFactory implements PublicTypes {
    @Override
    public RelayEvent messageEvent(RelayEvent.Type type, String queueId, Instant time, List<MailAddress> recipients,
                                   String relatedId, String detail) {
        return RelayEvent.builder(type, queueId, time).recipients(recipients).relatedId(relatedId).detail(detail)
                .build();
    }

    @Override
    public RelayEvent outcomeEvent(RelayEvent.Type type, String queueId, Instant time, Outcome o, String destination,
                                   int attempt, Instant nextAttempt) {
        return RelayEvent.builder(type, queueId, time).recipients(List.of(o.recipient)).destination(destination)
                .remote(o.remoteHost, o.remoteAddress).reply(o.replyLines()).status(o.status).detail(o.detail)
                .tls(o.tls).tlsPolicy(o.tlsPolicy).attempt(attempt).nextAttempt(nextAttempt).build();
    }

    @Override
    public QueueEntry.Recipient recipient(MailAddress address, QueueEntry.State state, String lastReply) {
        return new QueueEntry.Recipient(address, state, lastReply);
    }

    @Override
    public QueueEntry entry(String id, MailAddress reversePath, List<QueueEntry.Recipient> recipients,
                            Instant created, long size, int attempts, Instant nextAttempt, boolean held,
                            boolean notification, String origin) {
        return new QueueEntry(id, reversePath, recipients, created, size, attempts, nextAttempt, held, notification,
                origin);
    }
}
