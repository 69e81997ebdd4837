package dev.mailkit.spring.actuate;

import dev.mailkit.smtp.SmtpServer;
import dev.mailkit.spring.MailKitServers;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.Optional;
import java.util.function.Function;

/**
 * Micrometer meters of the mailkit servers: {@code mailkit.connections} (open connections, tagged
 * {@code protocol=smtp|imap|pop3}), {@code mailkit.messages} (SMTP transactions handed to the message sink, tagged
 * {@code outcome=delivered|failed}) and {@code mailkit.relay.queue.size} (messages waiting in the relay queue). The
 * values are read when the registry asks, so they follow the servers across restarts of the context.
 */
public class MailKitMetrics implements MeterBinder {
    private final MailKitServers servers;

    /** Meters for these servers. */
    public MailKitMetrics(MailKitServers servers) {
        this.servers = servers;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        connections(registry, "smtp", s -> s.smtp().map(SmtpServer::connectionCount));
        connections(registry, "imap", s -> s.imap().map(i -> i.connectionCount()));
        connections(registry, "pop3", s -> s.pop3().map(p -> p.connectionCount()));
        FunctionCounter.builder("mailkit.messages", servers, MailKitServers::messagesDelivered)
                .description("SMTP transactions the message sink stored for every recipient")
                .tag("outcome", "delivered").register(registry);
        FunctionCounter.builder("mailkit.messages", servers, MailKitServers::messagesFailed)
                .description("SMTP transactions the message sink failed for a recipient or threw for")
                .tag("outcome", "failed").register(registry);
        if (servers.hasRelay()) {
            Gauge.builder("mailkit.relay.queue.size", servers, s -> s.relayQueueSize().orElse(0))
                    .description("Messages waiting in the relay queue").register(registry);
        }
    }

    private void connections(MeterRegistry registry, String protocol,
                             Function<MailKitServers, Optional<Integer>> count) {
        Gauge.builder("mailkit.connections", servers, s -> count.apply(s).orElse(0))
                .description("Open client connections").tag("protocol", protocol).baseUnit("connections")
                .register(registry);
    }
}
