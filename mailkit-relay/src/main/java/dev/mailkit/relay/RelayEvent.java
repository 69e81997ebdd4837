package dev.mailkit.relay;

import dev.mailkit.core.MailAddress;
import dev.mailkit.core.TlsInfo;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Something that happened to a queued message: what answers "where did my mail go?". A delivery attempt produces
 * one event per recipient, with the queue id, the destination, the remote host and address it talked to and the
 * remote server's exact reply (control characters escaped as {@code \xNN}, nothing else changed). Immutable.
 */
public final class RelayEvent {
    /** What happened. */
    public enum Type {
        /** The message was queued durably (one event per message; {@link #recipients()} lists all). */
        QUEUED,
        /** The remote server accepted the message for the recipient. */
        DELIVERED,
        /** A temporary failure: the recipient stays queued and is retried later ({@link #nextAttempt()}). */
        DEFERRED,
        /** A permanent failure ({@code 5xx}, null MX, no such domain): the recipient was bounced. */
        BOUNCED,
        /** The message stayed queued longer than the retry policy allows: the recipient was bounced. */
        EXPIRED,
        /** The message was held by the management API: no more attempts until released. */
        HELD,
        /** A held message was released. */
        RELEASED,
        /** The message was deleted by the management API: its remaining recipients will not get it. */
        DELETED,
        /** A delivery status notification (bounce) for this message was queued under {@link #relatedId()}. */
        DSN_QUEUED
    }

    private final Type type;
    private final String queueId;
    private final Instant time;
    private final List<MailAddress> recipients;
    private final String destination;
    private final String remoteHost;
    private final InetSocketAddress remoteAddress;
    private final List<String> reply;
    private final String status;
    private final String detail;
    private final TlsInfo tls;
    private final TlsPolicyResult tlsPolicy;
    private final Instant nextAttempt;
    private final String relatedId;
    private final int attempt;

    private RelayEvent(Builder b) {
        this.type = b.type;
        this.queueId = b.queueId;
        this.time = b.time;
        this.recipients = List.copyOf(b.recipients);
        this.destination = b.destination;
        this.remoteHost = b.remoteHost;
        this.remoteAddress = b.remoteAddress;
        this.reply = List.copyOf(b.reply);
        this.status = b.status;
        this.detail = b.detail;
        this.tls = b.tls;
        this.tlsPolicy = b.tlsPolicy;
        this.nextAttempt = b.nextAttempt;
        this.relatedId = b.relatedId;
        this.attempt = b.attempt;
    }

    /** For the relay's engine, through {@code PublicTypeFactory}. */
    static Builder builder(Type type, String queueId, Instant time) {
        return new Builder(type, queueId, time);
    }

    /** What happened. */
    public Type type() {
        return type;
    }

    /** The queue id of the message. */
    public String queueId() {
        return queueId;
    }

    /** When it happened (the relay's clock). */
    public Instant time() {
        return time;
    }

    /** The recipients concerned (one for delivery outcomes; all for {@link Type#QUEUED}). */
    public List<MailAddress> recipients() {
        return recipients;
    }

    /** The destination: the recipient domain, {@code [address]} for an address literal, or the smart host. */
    public Optional<String> destination() {
        return Optional.ofNullable(destination);
    }

    /** The name of the remote host talked to (an MX host or the smart host), if a connection was made or tried. */
    public Optional<String> remoteHost() {
        return Optional.ofNullable(remoteHost);
    }

    /** The remote address and port, if a connection was made or tried. */
    public Optional<InetSocketAddress> remoteAddress() {
        return Optional.ofNullable(remoteAddress);
    }

    /**
     * The remote server's reply lines exactly as received (code included, for example {@code 550 5.1.1 <x>: no such
     * user}), with control characters escaped; empty when the outcome did not come from a reply (a connection that
     * failed, a null MX).
     */
    public List<String> reply() {
        return reply;
    }

    /** The reply lines joined by a space: convenient for logs. */
    public String replyText() {
        return String.join(" ", reply);
    }

    /** The enhanced status code of the outcome (RFC 3463, e.g. {@code 2.0.0}, {@code 4.4.1}, {@code 5.1.10}). */
    public Optional<String> status() {
        return Optional.ofNullable(status);
    }

    /**
     * A one-line human-readable explanation (always present): for example "host mx.example.com[192.0.2.1] said: 550
     * 5.1.1 no such user (in reply to RCPT TO)" or "connect to mx.example.com[192.0.2.1]:25: Connection refused".
     */
    public String detail() {
        return detail;
    }

    /** The TLS protocol and cipher of the connection, if TLS was used. */
    public Optional<TlsInfo> tls() {
        return Optional.ofNullable(tls);
    }

    /**
     * What the destination's MTA-STS policy or DANE TLSA records made of the attempt (when the relay applies them and
     * the destination publishes one); empty otherwise.
     */
    public Optional<TlsPolicyResult> tlsPolicy() {
        return Optional.ofNullable(tlsPolicy);
    }

    /** For {@link Type#DEFERRED}: when the next attempt is due. */
    public Optional<Instant> nextAttempt() {
        return Optional.ofNullable(nextAttempt);
    }

    /** For {@link Type#DSN_QUEUED}: the queue id of the notification. */
    public Optional<String> relatedId() {
        return Optional.ofNullable(relatedId);
    }

    /** The number of the delivery attempt this outcome belongs to (1 for the first; 0 when not an attempt). */
    public int attempt() {
        return attempt;
    }

    /** One line in the style of a Postfix log entry. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(queueId).append(": ").append(type.name().toLowerCase(java.util.Locale.ROOT));
        if (!recipients.isEmpty()) {
            sb.append(" to=");
            for (int i = 0; i < recipients.size() && i < 5; i++) {
                sb.append(i > 0 ? "," : "").append('<').append(recipients.get(i)).append('>');
            }
            if (recipients.size() > 5) {
                sb.append(",... (").append(recipients.size()).append(" recipients)");
            }
        }
        if (remoteHost != null) {
            sb.append(" relay=").append(remoteHost);
            if (remoteAddress != null) {
                sb.append('[').append(remoteAddress.getAddress().getHostAddress()).append("]:")
                        .append(remoteAddress.getPort());
            }
        }
        if (status != null) {
            sb.append(" dsn=").append(status);
        }
        if (attempt > 0) {
            sb.append(" attempt=").append(attempt);
        }
        if (tlsPolicy != null) {
            sb.append(" tls-policy=").append(tlsPolicy.label());
        }
        sb.append(" (").append(detail).append(')');
        if (nextAttempt != null) {
            sb.append(" next=").append(nextAttempt);
        }
        return sb.toString();
    }

    /** Builds a {@link RelayEvent}; package-private: only the relay makes events. Not thread-safe. */
    static final class Builder {
        private final Type type;
        private final String queueId;
        private final Instant time;
        private List<MailAddress> recipients = List.of();
        private String destination;
        private String remoteHost;
        private InetSocketAddress remoteAddress;
        private List<String> reply = List.of();
        private String status;
        private String detail = "";
        private TlsInfo tls;
        private TlsPolicyResult tlsPolicy;
        private Instant nextAttempt;
        private String relatedId;
        private int attempt;

        private Builder(Type type, String queueId, Instant time) {
            this.type = Objects.requireNonNull(type, "type");
            this.queueId = Objects.requireNonNull(queueId, "queueId");
            this.time = Objects.requireNonNull(time, "time");
        }

        Builder recipients(List<MailAddress> r) {
            this.recipients = r;
            return this;
        }

        Builder destination(String d) {
            this.destination = d;
            return this;
        }

        Builder remote(String host, InetSocketAddress address) {
            this.remoteHost = host;
            this.remoteAddress = address;
            return this;
        }

        Builder reply(List<String> lines) {
            this.reply = lines;
            return this;
        }

        Builder status(String s) {
            this.status = s;
            return this;
        }

        Builder detail(String d) {
            this.detail = Objects.requireNonNull(d, "detail");
            return this;
        }

        Builder tls(TlsInfo t) {
            this.tls = t;
            return this;
        }

        Builder tlsPolicy(TlsPolicyResult p) {
            this.tlsPolicy = p;
            return this;
        }

        Builder nextAttempt(Instant t) {
            this.nextAttempt = t;
            return this;
        }

        Builder relatedId(String id) {
            this.relatedId = id;
            return this;
        }

        Builder attempt(int n) {
            this.attempt = n;
            return this;
        }

        RelayEvent build() {
            return new RelayEvent(this);
        }
    }
}
