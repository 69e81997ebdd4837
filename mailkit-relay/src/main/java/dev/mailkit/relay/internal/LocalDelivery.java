package dev.mailkit.relay.internal;

import dev.mailkit.relay.spi.QueueStorage;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.SmtpReply;
import dev.mailkit.core.sink.DeliveryReport;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Delivers a job whose recipients are in the local domains to the configured local sink (for example DSNs to local
 * senders): the sink's report becomes one outcome per recipient, a failure to deliver at all a deferral of every one.
 */
final class LocalDelivery {
    private final RelayConfig cfg;
    private final QueueStorage store;

    LocalDelivery(RelayConfig cfg, QueueStorage store) {
        this.cfg = cfg;
        this.store = store;
    }

    /** Hands the job's recipients to the local sink; the outcomes are in the job's recipient order. */
    List<Outcome> deliver(Job job) {
        StoredMessage m = job.message;
        List<MailAddress> rcpts = job.recipients();
        List<Outcome> out = new ArrayList<>();
        Envelope env = Envelope.builder().reversePath(m.reversePath).recipients(rcpts)
                .mailParameters(m.mailParameters).receivedAt(m.created).transactionId(m.id).protocol("LOCAL").build();
        try (InputStream in = store.content(m.id); MessageSource src = cfg.spool.copyOf(in)) {
            DeliveryReport report = cfg.localSink.deliver(env, src);
            for (MailAddress r : rcpts) {
                SmtpReply f = report.failures().get(r);
                if (f == null) {
                    out.add(new Outcome(r, Outcome.Kind.DELIVERED, null, "2.0.0", "delivered to the local store",
                            "local", null, null));
                } else {
                    out.add(new Outcome(r, f.isTransientFailure() ? Outcome.Kind.DEFERRED : Outcome.Kind.BOUNCED,
                            null, f.enhancedStatus(), "local delivery failed: " + f, "local", null, null));
                }
            }
        } catch (IOException | RuntimeException e) {
            out.clear();
            for (MailAddress r : rcpts) {
                out.add(new Outcome(r, Outcome.Kind.DEFERRED, null, "4.3.0", "local delivery failed: "
                        + Text.describe(e), "local", null, null));
            }
        }
        return out;
    }
}
