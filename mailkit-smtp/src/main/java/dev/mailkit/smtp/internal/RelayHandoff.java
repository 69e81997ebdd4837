package dev.mailkit.smtp.internal;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.SmtpReply;
import dev.mailkit.core.sink.DeliveryReport;
import dev.mailkit.core.outbound.MailLoopException;
import dev.mailkit.core.outbound.OutboundQueue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Splits an accepted transaction between the local sink (recipients in local domains) and the relay queue (the
 * others, which RCPT accepted only for clients allowed to relay). Both copies are durable before this returns: the
 * relay copy is written and synced first, the sink stores the local copy, and only then is the relay copy committed
 * to the queue. If the sink fails, the relay copy is discarded and the client is told to retry the whole
 * transaction, so no recipient gets the message twice. Local recipients that asked for {@code NOTIFY=SUCCESS}
 * (RFC 3461) and were delivered get a "delivered" notification through the relay queue.
 */
final class RelayHandoff {
    private RelayHandoff() {
    }

    static DeliveryReport deliver(SmtpConfig c, Envelope envelope, MessageSource message) throws IOException {
        if (c.relay == null) {
            return c.sink.deliver(envelope, message);
        }
        List<MailAddress> local = new ArrayList<>();
        List<MailAddress> remote = new ArrayList<>();
        for (MailAddress r : envelope.recipients()) {
            (c.isLocal(r) ? local : remote).add(r);
        }
        if (remote.isEmpty()) {
            return reportSuccesses(c, envelope, message, local, c.sink.deliver(envelope, message));
        }
        Envelope remoteEnvelope = only(envelope, remote);
        OutboundQueue.Prepared prepared;
        try {
            prepared = c.relay.prepare(remoteEnvelope, message);
        } catch (MailLoopException loop) {
            // a mail loop: refuse the remote recipients for good (5.4.6), deliver the local ones
            DeliveryReport localReport = local.isEmpty() ? DeliveryReport.allDelivered()
                    : c.sink.deliver(only(envelope, local), message);
            DeliveryReport.Builder b = DeliveryReport.builder().queueId(localReport.queueId());
            localReport.failures().forEach(b::failed);
            SmtpReply hops = SmtpReply.of(554, "5.4.6", "Too many hops: mail loop detected");
            for (MailAddress r : remote) {
                b.failed(r, hops);
            }
            return b.build();
        }
        try (OutboundQueue.Prepared relayed = prepared) {
            DeliveryReport localReport = local.isEmpty() ? DeliveryReport.allDelivered()
                    : c.sink.deliver(only(envelope, local), message);
            String queueId = relayed.commit();
            reportSuccesses(c, envelope, message, local, localReport);
            if (localReport.isAllDelivered()) {
                return DeliveryReport.allDelivered(queueId);
            }
            DeliveryReport.Builder b = DeliveryReport.builder().queueId(queueId);
            for (Map.Entry<MailAddress, SmtpReply> f : localReport.failures().entrySet()) {
                b.failed(f.getKey(), f.getValue());
            }
            return b.build();
        }
    }

    /** Queues a "delivered" DSN for the local recipients that were delivered and asked for NOTIFY=SUCCESS. */
    private static DeliveryReport reportSuccesses(SmtpConfig c, Envelope envelope, MessageSource message,
                                                  List<MailAddress> local, DeliveryReport report) {
        if (envelope.reversePath().isEmpty()) {
            return report;
        }
        List<MailAddress> delivered = new ArrayList<>();
        for (MailAddress r : local) {
            String notify = envelope.recipientParameters(r).get("NOTIFY");
            if (notify != null && notify.contains("SUCCESS") && !report.failures().containsKey(r)) {
                delivered.add(r);
            }
        }
        if (!delivered.isEmpty()) {
            c.relay.reportDelivered(envelope, message, delivered);
        }
        return report;
    }

    private static Envelope only(Envelope e, List<MailAddress> recipients) {
        Envelope.Builder b = e.toBuilder().clearRecipients();
        for (MailAddress r : recipients) {
            b.recipient(r, e.recipientParameters(r));
        }
        return b.build();
    }
}
