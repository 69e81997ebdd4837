package dev.mailkit.smtp.internal;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.SmtpReply;
import dev.mailkit.core.filter.FilterVerdict;
import dev.mailkit.core.filter.HeaderField;
import dev.mailkit.core.sink.DeliveryReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/**
 * The end of DATA/BDAT: adds the {@code Received:} header, runs the DATA filters, hands the message to the sink and
 * turns the sink's report into the reply. The client hears {@code 250} only after the sink returned, i.e. after the
 * message is durable.
 */
public final class Delivery {

    private final SmtpConfig config;

    public Delivery(SmtpConfig config) {
        this.config = config;
    }

    /**
     * Delivers the content (as received, without mailkit's headers) for the session's transaction. The caller keeps
     * ownership of {@code content} and closes it afterwards.
     *
     * @return the reply, or null when a filter asked to drop the connection without one
     */
    public SmtpReply deliver(SessionState st, MessageSource content) {
        Instant now = config.clock.instant();
        String id = st.listener.ids().next();
        Envelope envelope = st.transaction
                .receivedAt(now)
                .transactionId(id)
                .protocol(st.protocol())
                .build();
        byte[] received = ReceivedHeader.build(st, config.hostName, id, envelope.recipients(),
                dev.mailkit.core.MessageDates.format(now, config.clock.getZone()));
        MessageSource replaced = null;
        try (MessageSource withTrace = content.withPrefix(received)) {
            FilterVerdict v = SmtpListener.safely(st, () -> config.filter.onData(st, envelope, withTrace));
            replaced = v.message().orElse(null);
            if (!v.isAccept()) {
                return v.isDisconnect() ? null : v.reply().orElseThrow();
            }
            if (v.isDiscard()) {
                Log.LOG.info("{}: {} from {} to {} discarded by a filter", st.sessionId(), id,
                        envelope.reversePathString(), envelope.recipients());
                return SmtpReply.of(250, "2.0.0", "Ok: queued as " + id);
            }
            Envelope target = v.recipients().map(r -> filtered(st, envelope, r)).orElse(envelope);
            MessageSource full = withTrace;
            if (replaced != null) {
                full = v.headers().isEmpty() ? replaced.retain() : replaced.withPrefix(headers(v));
            } else if (!v.headers().isEmpty()) {
                full = content.withPrefix(concat(received, headers(v)));
            }
            try {
                DeliveryReport report = RelayHandoff.deliver(config, target, full);
                Log.LOG.debug("{}: {} from {} to {}: {}", st.sessionId(), id, target.reversePathString(),
                        target.recipients(), report);
                return replyFor(report, id, target.recipients().size());
            } finally {
                if (full != withTrace) {
                    full.close();
                }
            }
        } catch (IOException | RuntimeException e) {
            if (StorageFailure.isOutOfStorage(e)) {
                Log.LOG.warn("{}: delivery of {} failed: {}", st.sessionId(), id, e.toString());
            } else {
                Log.LOG.error("{}: delivery of {} failed", st.sessionId(), id, e);
            }
            return StorageFailure.reply(e);
        } finally {
            if (replaced != null) {
                replaced.close();
            }
        }
    }

    /**
     * The recipients a filter asked for: any of the envelope's, and new ones only in the local domains (a filter
     * never makes the server relay).
     */
    private Envelope filtered(SessionState st, Envelope envelope, java.util.List<MailAddress> wanted) {
        java.util.List<MailAddress> kept = new java.util.ArrayList<>();
        for (MailAddress r : wanted) {
            if (envelope.recipients().contains(r) || config.isLocal(r)) {
                kept.add(r);
            } else {
                Log.LOG.warn("{}: a filter added recipient {} outside the local domains; ignored", st.sessionId(), r);
            }
        }
        if (kept.isEmpty()) {
            return envelope;
        }
        return envelope.withRecipients(kept);
    }

    /**
     * Ends a transaction whose content is complete: delivers it, resets the transaction, and answers the client (or,
     * when a filter asked for it, drops the connection without an answer).
     */
    public void complete(SessionState st, dev.mailkit.core.MessageSpool.Writer content) throws IOException {
        SmtpReply reply;
        MessageSource source;
        try {
            source = content.finish();
        } catch (IOException e) { // the spool's last write: nothing was acknowledged
            content.abort();
            st.resetTransaction();
            Log.LOG.warn("{}: cannot spool the message: {}", st.sessionId(), e.toString());
            st.finish(StorageFailure.reply(e));
            return;
        }
        try (source) {
            reply = deliver(st, source);
        } finally {
            st.resetTransaction();
        }
        if (reply == null) {
            st.closeConnection(); // a filter asked to drop the connection without a reply
            return;
        }
        st.finish(reply);
    }

    static SmtpReply replyFor(DeliveryReport report, String id, int recipients) {
        if (report.isAllDelivered()) {
            return SmtpReply.of(250, "2.0.0", "Ok: queued as " + id + relayed(report, id));
        }
        Map<MailAddress, SmtpReply> failures = report.failures();
        if (failures.size() >= recipients) {
            // nobody got it: a temporary failure makes the client retry, otherwise the first permanent one
            return failures.values().stream().filter(SmtpReply::isTransientFailure).findFirst()
                    .orElse(failures.values().iterator().next());
        }
        StringBuilder sb = new StringBuilder("Ok: queued as ").append(id).append(relayed(report, id))
                .append(", but not for ");
        int n = 0;
        for (Map.Entry<MailAddress, SmtpReply> e : failures.entrySet()) {
            if (n++ > 0) {
                sb.append(", ");
            }
            if (n > 5) {
                sb.append(failures.size() - 5).append(" more");
                break;
            }
            sb.append('<').append(e.getKey()).append("> (").append(e.getValue().code()).append(' ')
                    .append(e.getValue().enhancedStatus()).append(')');
        }
        return SmtpReply.of(250, "2.0.0", sb.toString());
    }

    /** Names the relay queue id when the message was also queued for relaying. */
    private static String relayed(DeliveryReport report, String id) {
        String q = report.queueId();
        return q.isEmpty() || q.equals(id) ? "" : " (relay queue id " + q + ")";
    }

    private static byte[] headers(FilterVerdict v) {
        StringBuilder sb = new StringBuilder();
        for (HeaderField h : v.headers()) {
            sb.append(h.folded()).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /**
     * The logger, created when first used: a server that starts and stops without logging never initialises SLF4J
     * (its provider lookup is a large part of a JVM's first server start).
     */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(Delivery.class);
    }
}
