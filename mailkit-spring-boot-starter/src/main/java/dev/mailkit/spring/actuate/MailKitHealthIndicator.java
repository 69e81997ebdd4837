package dev.mailkit.spring.actuate;

import dev.mailkit.smtp.SmtpRole;
import dev.mailkit.smtp.SmtpServer;
import dev.mailkit.spring.MailKitServers;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code mailkit} health contributor: UP while every enabled server accepts connections, with each server's ports
 * and open connections and the relay queue's length as details; DOWN when a server is not running.
 */
public class MailKitHealthIndicator extends AbstractHealthIndicator {
    private final MailKitServers servers;

    /** The health of these servers. */
    public MailKitHealthIndicator(MailKitServers servers) {
        super("mailkit health check failed");
        this.servers = servers;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        if (!servers.isRunning()) {
            builder.down().withDetail("reason", "the mail servers are stopped");
            return;
        }
        boolean up = true;
        SmtpServer smtp = servers.smtp().orElse(null);
        if (smtp != null) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("running", smtp.isRunning());
            for (SmtpRole role : SmtpRole.values()) {
                try {
                    d.put(role.name().toLowerCase(java.util.Locale.ROOT) + "Port", smtp.port(role));
                } catch (IllegalArgumentException | IllegalStateException noSuchListener) {
                    // this server has no listener of that role
                }
            }
            d.put("connections", smtp.connectionCount());
            builder.withDetail("smtp", d);
            up &= smtp.isRunning();
        }
        if (servers.imap().isPresent()) {
            var imap = servers.imap().get();
            builder.withDetail("imap", Map.of("running", imap.isRunning(), "port", imap.isRunning() ? imap.port() : 0,
                    "connections", imap.connectionCount()));
            up &= imap.isRunning();
        }
        if (servers.pop3().isPresent()) {
            var pop3 = servers.pop3().get();
            builder.withDetail("pop3", Map.of("running", pop3.isRunning(), "port", pop3.isRunning() ? pop3.port() : 0,
                    "connections", pop3.connectionCount()));
            up &= pop3.isRunning();
        }
        servers.relayQueueSize().ifPresent(n -> builder.withDetail("relayQueue", n));
        builder.withDetail("messagesDelivered", servers.messagesDelivered())
                .withDetail("messagesFailed", servers.messagesFailed());
        if (up) {
            builder.up();
        } else {
            builder.down();
        }
    }
}
