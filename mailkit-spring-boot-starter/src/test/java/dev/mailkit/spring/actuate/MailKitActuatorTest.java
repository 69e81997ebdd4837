package dev.mailkit.spring.actuate;

import dev.mailkit.spring.MailKitAutoConfiguration;
import dev.mailkit.spring.MailKitServers;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** Health and meters: present when their libraries are, absent when not, and telling the truth. */
class MailKitActuatorTest {
    final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(
            MailKitAutoConfiguration.class, MailKitActuatorAutoConfiguration.class));

    @Test
    void healthIsUpWithThePortsWhileRunningAndDownWhenStopped() {
        runner.withPropertyValues("mailkit.smtp.enabled=true", "mailkit.imap.enabled=true").run(c -> {
            MailKitHealthIndicator health = c.getBean("mailkitHealthIndicator", MailKitHealthIndicator.class);
            MailKitServers s = c.getBean(MailKitServers.class);
            Health h = health.health();
            assertThat(h.getStatus()).isEqualTo(Status.UP);
            assertThat(h.getDetails()).containsKeys("smtp", "imap", "messagesDelivered")
                    .doesNotContainKey("pop3");
            assertThat(h.getDetails().get("smtp")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("mxPort", s.smtpPort());
            c.stop();
            assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
        });
    }

    @Test
    void healthCanBeTurnedOffAndNeedsActuator() {
        runner.withPropertyValues("mailkit.smtp.enabled=true", "management.health.mailkit.enabled=false")
                .run(c -> assertThat(c).doesNotHaveBean(MailKitHealthIndicator.class).hasSingleBean(MailKitMetrics.class));
        runner.withPropertyValues("mailkit.smtp.enabled=true")
                .withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
                .run(c -> assertThat(c).hasNotFailed().doesNotHaveBean(MailKitHealthIndicator.class));
        runner.withPropertyValues("mailkit.smtp.enabled=true")
                .withClassLoader(new FilteredClassLoader("io.micrometer"))
                .run(c -> assertThat(c).hasNotFailed().doesNotHaveBean(MailKitMetrics.class));
        runner.run(c -> assertThat(c).doesNotHaveBean(MailKitHealthIndicator.class)
                .doesNotHaveBean(MailKitMetrics.class));
    }

    @Test
    void metersCountMessagesAndConnections() {
        runner.withPropertyValues("mailkit.smtp.enabled=true", "mailkit.smtp.accept-all-domains=true",
                "mailkit.users[0].address=a@b.test", "mailkit.users[0].password=pw").run(c -> {
                    MeterRegistry registry = new SimpleMeterRegistry();
                    c.getBean(MailKitMetrics.class).bindTo(registry);
                    MailKitServers s = c.getBean(MailKitServers.class);
                    Properties p = new Properties();
                    p.setProperty("mail.smtp.host", s.host());
                    p.setProperty("mail.smtp.port", Integer.toString(s.smtpPort()));
                    Session session = Session.getInstance(p);
                    try (Transport t = session.getTransport("smtp")) {
                        t.connect();
                        assertThat(registry.get("mailkit.connections").tag("protocol", "smtp").gauge().value())
                                .isEqualTo(1.0);
                        MimeMessage m = new MimeMessage(session);
                        m.setFrom("x@remote.test");
                        m.setText("counted");
                        t.sendMessage(m, new jakarta.mail.Address[]{
                                new jakarta.mail.internet.InternetAddress("a@b.test")});
                    }
                    assertThat(registry.get("mailkit.messages").tag("outcome", "delivered").functionCounter()
                            .count()).isEqualTo(1.0);
                    assertThat(registry.get("mailkit.messages").tag("outcome", "failed").functionCounter()
                            .count()).isZero();
                    assertThat(registry.find("mailkit.relay.queue.size").gauge()).isNull();
                });
    }
}
