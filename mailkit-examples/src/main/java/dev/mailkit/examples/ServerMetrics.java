package dev.mailkit.examples;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.SmtpReply;
import dev.mailkit.core.TlsInfo;
import dev.mailkit.core.filter.FilterVerdict;
import dev.mailkit.core.filter.MailFilter;
import dev.mailkit.core.filter.SessionInfo;
import dev.mailkit.core.server.MailServer;
import dev.mailkit.core.sink.DeliveryReport;
import dev.mailkit.core.sink.MessageSink;
import dev.mailkit.relay.QueueEntry;
import dev.mailkit.relay.RelayEvent;
import dev.mailkit.relay.RelayQueue;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The runnable server's Micrometer meters, scraped by Prometheus at {@code /metrics} on the web port: sessions,
 * messages accepted and refused (by stage and status code), recipients delivered into the store, relayed, deferred
 * and bounced, the relay queue's size and the age of its oldest message, filter and store latencies, and the TLS
 * versions mail arrived with. The meters hold counts and durations only: no address, no subject. Thread-safe.
 */
final class ServerMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Clock clock;
    private final Timer filterTime;
    private final Timer storeTime;
    private final Counter sessions;

    ServerMetrics(Clock clock) {
        this.clock = clock;
        filterTime = Timer.builder("mailkit.filter.duration").description("Time the SMTP filters (authentication "
                + "checks, scanners) took on a message at the end of DATA").register(registry);
        storeTime = Timer.builder("mailkit.store.duration").description("Time the delivery into the mailbox store "
                + "took for a message").register(registry);
        sessions = Counter.builder("mailkit.smtp.sessions").description("SMTP connections accepted")
                .register(registry);
    }

    /** Prometheus's text format of every meter. */
    String scrape() {
        return registry.scrape();
    }

    /** Gauges of the open connections of each server, of the relay queue and of the certificate's time left. */
    void watch(Map<String, Supplier<Integer>> connections, RelayQueue relay, Supplier<X509Certificate> certificate) {
        Gauge.builder("mailkit.tls.certificate.expiry", certificate, c -> Duration.between(clock.instant(),
                        c.get().getNotAfter().toInstant()).toSeconds()).description("Seconds until the TLS "
                        + "certificate expires (negative: expired); follows reloads").baseUnit("seconds")
                .strongReference(true).register(registry);
        connections.forEach((protocol, count) -> Gauge.builder("mailkit.connections", count, c -> c.get())
                .description("Open client connections").tag("protocol", protocol).strongReference(true)
                .register(registry));
        Gauge.builder("mailkit.queue.size", relay, RelayQueue::size).description("Messages in the relay queue")
                .strongReference(true).register(registry);
        Gauge.builder("mailkit.queue.oldest.age", relay, this::oldestAge).description("Seconds the oldest message "
                + "in the relay queue has waited (0 when empty)").baseUnit("seconds").strongReference(true)
                .register(registry);
    }

    private double oldestAge(RelayQueue relay) {
        Instant now = clock.instant();
        return relay.list().stream().map(QueueEntry::created).min(Instant::compareTo)
                .map(t -> Math.max(0, Duration.between(t, now).toMillis() / 1000.0)).orElse(0.0);
    }

    private void refused(String stage, SmtpReply reply) {
        String reason = reply.enhancedStatus() == null || reply.enhancedStatus().isEmpty()
                ? String.valueOf(reply.code()) : reply.enhancedStatus();
        Counter.builder("mailkit.messages.refused").description("Commands refused, by SMTP stage and the status sent")
                .tag("stage", stage).tag("reason", reason).register(registry).increment();
    }

    private void count(String name, String description, String tag, String value, int n) {
        if (n > 0) {
            Counter.builder(name).description(description).tag(tag, value).register(registry).increment(n);
        }
    }

    /** Counts an ACME attempt by its outcome: issued, stored (read back at start) or failed. */
    void acmeAttempt(String outcome) {
        count("mailkit.acme.certificates", "ACME certificates installed (issued, or stored at start) and attempts "
                + "that failed", "outcome", outcome, 1);
    }

    /**
     * Counts a relay event's recipients: relayed (delivered), deferred, bounced, expired; and, when the destination's
     * MTA-STS policy or DANE records applied, the attempt by policy, mode and result.
     */
    void relayEvent(RelayEvent e) {
        e.tlsPolicy().ifPresent(p -> Counter.builder("mailkit.relay.tls.policy")
                .description("Delivery attempts under a destination's MTA-STS policy or DANE records, by result")
                .tag("policy", p.source().name().toLowerCase(Locale.ROOT).replace('_', '-'))
                .tag("mode", p.mode().name().toLowerCase(Locale.ROOT)).tag("result", p.satisfied() ? "ok" : "failed")
                .register(registry).increment(e.recipients().size()));
        switch (e.type()) {
            case DELIVERED:
            case DEFERRED:
            case BOUNCED:
            case EXPIRED:
                count("mailkit.relay.recipients", "Recipients of outgoing mail, by what the relay did",
                        "outcome", e.type().name().toLowerCase(Locale.ROOT), e.recipients().size());
                break;
            case QUEUED:
                count("mailkit.relay.messages", "Messages queued for the relay", "outcome", "queued", 1);
                break;
            default:
                break;
        }
    }

    /**
     * Health: one line per problem, none when the servers run, the certificate has not expired and the data
     * directory has room.
     */
    static List<String> problems(Map<String, MailServer> servers, X509Certificate certificate, Path data,
                                 long minFree) {
        List<String> out = new ArrayList<>();
        if (!certificate.getNotAfter().toInstant().isAfter(Instant.now())) {
            out.add("the TLS certificate expired on " + certificate.getNotAfter().toInstant());
        }
        servers.forEach((name, s) -> {
            if (s != null && !s.isRunning()) {
                out.add(name + " is not running");
            }
        });
        try {
            long free = Files.getFileStore(data).getUsableSpace();
            if (free < minFree) {
                out.add("data directory " + data + " has " + free / (1024 * 1024) + " MiB free, below "
                        + minFree / (1024 * 1024) + " MiB: mail is refused with 452");
            }
        } catch (IOException e) {
            out.add("data directory " + data + ": " + e.getMessage());
        }
        return out;
    }

    /** The SMTP filters, counted: sessions, refusals at each stage, the time at the end of DATA. */
    MailFilter filter(MailFilter next) {
        return new MailFilter() {
            private FilterVerdict seen(String stage, FilterVerdict v) {
                v.reply().filter(r -> !r.isPositive()).ifPresent(r -> refused(stage, r));
                return v;
            }

            @Override
            public FilterVerdict onConnect(SessionInfo session) {
                sessions.increment();
                return seen("connect", next.onConnect(session));
            }

            @Override
            public FilterVerdict onHelo(SessionInfo session, String heloName) {
                return seen("helo", next.onHelo(session, heloName));
            }

            @Override
            public FilterVerdict onMailFrom(SessionInfo session, Optional<MailAddress> reversePath,
                                            Map<String, String> parameters) {
                return seen("mail", next.onMailFrom(session, reversePath, parameters));
            }

            @Override
            public FilterVerdict onRcptTo(SessionInfo session, MailAddress recipient, Map<String, String> parameters) {
                return seen("rcpt", next.onRcptTo(session, recipient, parameters));
            }

            @Override
            public FilterVerdict onData(SessionInfo session, Envelope envelope, MessageSource message) {
                long start = System.nanoTime();
                FilterVerdict v;
                try {
                    v = seen("data", next.onData(session, envelope, message));
                } finally {
                    filterTime.record(Duration.ofNanos(System.nanoTime() - start));
                }
                if (v.reply().map(SmtpReply::isPositive).orElse(true) && !v.isDisconnect()) {
                    count("mailkit.messages.accepted", "Messages accepted at the end of DATA, by the TLS version "
                            + "they arrived over", "tls", envelope.tls().map(TlsInfo::protocol).orElse("none"), 1);
                }
                return v;
            }

            @Override
            public void onDisconnect(SessionInfo session) {
                next.onDisconnect(session);
            }
        };
    }

    /** The message sink, counted: recipients refused at RCPT (unknown users), stored or failed, the store time. */
    MessageSink sink(MessageSink next) {
        return new MessageSink() {
            @Override
            public DeliveryReport deliver(Envelope envelope, MessageSource message) throws IOException {
                long start = System.nanoTime();
                DeliveryReport r;
                try {
                    r = next.deliver(envelope, message);
                } catch (IOException | RuntimeException e) {
                    count("mailkit.delivered.recipients", "Recipients of local mail, by the store's outcome",
                            "outcome", "failed", envelope.recipients().size());
                    throw e;
                } finally {
                    storeTime.record(Duration.ofNanos(System.nanoTime() - start));
                }
                int failed = r.failures().size();
                count("mailkit.delivered.recipients", "Recipients of local mail, by the store's outcome", "outcome",
                        "stored", envelope.recipients().size() - failed);
                count("mailkit.delivered.recipients", "Recipients of local mail, by the store's outcome", "outcome",
                        "failed", failed);
                return r;
            }

            @Override
            public Optional<SmtpReply> checkRecipient(Envelope transaction, MailAddress recipient) {
                Optional<SmtpReply> refusal = next.checkRecipient(transaction, recipient);
                refusal.ifPresent(r -> refused("rcpt", r));
                return refusal;
            }
        };
    }
}
