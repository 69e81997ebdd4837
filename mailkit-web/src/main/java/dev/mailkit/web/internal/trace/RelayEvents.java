package dev.mailkit.web.internal.trace;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MailAddress;
import dev.mailkit.relay.RelayEvent;

import java.time.Instant;
import java.util.Locale;

/**
 * Turns a relay event into the trace's neutral terms. The only class besides the queue view that touches
 * mailkit-relay (an optional dependency): loaded only when a relay queue reports to a trace.
 */
public final class RelayEvents {
    private RelayEvents() {
    }

    /** An event in the trace's terms. */
    public static final class Neutral {
        public final String queueId;
        public final String origin;
        public final Instant time;
        public final String kind;
        public final String subject;
        public final String detail;
        public final Envelope envelope;

        Neutral(String queueId, String origin, Instant time, String kind, String subject, String detail,
                Envelope envelope) {
            this.queueId = queueId;
            this.origin = origin;
            this.time = time;
            this.kind = kind;
            this.subject = subject;
            this.detail = detail;
            this.envelope = envelope;
        }
    }

    /**
     * The neutral form, or null for an event the trace shows otherwise (a local delivery is recorded by the sink).
     * The origin (the SMTP transaction or web submission) comes from a QUEUED event's detail.
     */
    public static Neutral neutral(RelayEvent e) {
        if (e.type() == RelayEvent.Type.DELIVERED && e.destination().map("local"::equals).orElse(false)) {
            return null;
        }
        String kind;
        switch (e.type()) {
            case QUEUED: kind = "queued"; break;
            case DELIVERED: kind = "relayed"; break;
            case DSN_QUEUED: kind = "dsn"; break;
            default: kind = e.type().name().toLowerCase(Locale.ROOT);
        }
        StringBuilder subject = new StringBuilder();
        for (MailAddress a : e.recipients()) {
            subject.append(subject.length() == 0 ? "" : ", ").append(a);
        }
        String detail = e.detail();
        if (e.remoteHost().isPresent() && !detail.contains(e.remoteHost().get())) {
            detail = e.remoteHost().get() + e.remoteAddress().map(a -> "[" + a.getAddress().getHostAddress() + "]:"
                    + a.getPort()).orElse("") + ": " + detail;
        }
        if (e.type() == RelayEvent.Type.DSN_QUEUED) {
            detail = "delivery status notification queued as " + e.relatedId().orElse("?");
        } else if (e.type() == RelayEvent.Type.QUEUED) {
            detail = "queue id " + e.queueId() + " (" + e.detail() + ")";
        } else if (e.type() == RelayEvent.Type.DEFERRED && e.nextAttempt().isPresent()) {
            detail = detail + "; next attempt " + e.nextAttempt().get();
        }
        String origin = null;
        int o = e.detail().lastIndexOf("origin=");
        if (e.type() == RelayEvent.Type.QUEUED && o >= 0) {
            origin = e.detail().substring(o + 7).trim();
            int end = 0;
            while (end < origin.length() && !Character.isWhitespace(origin.charAt(end)) && origin.charAt(end) != ',') {
                end++;
            }
            origin = origin.substring(0, end);
        }
        Envelope.Builder env = Envelope.builder().recipients(e.recipients()).receivedAt(e.time());
        return new Neutral(e.queueId(), origin, e.time(), kind, subject.toString(), detail, env.build());
    }
}
