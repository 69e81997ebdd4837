package dev.mailkit.spring;

import dev.mailkit.core.MailAddress;
import dev.mailkit.core.sink.InMemorySink;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Two application contexts in one JVM run two sets of servers that never see each other's mail. */
class TwoContextsTest {
    @Test
    void twoContextsRunTwoServersWithoutInterfering() {
        var runner = MailKitAutoConfigurationTest.RUNNER.withUserConfiguration(MailKitAutoConfigurationTest.SinkConfig.class)
                .withPropertyValues("mailkit.smtp.enabled=true", "mailkit.smtp.accept-all-domains=true",
                        "mailkit.imap.enabled=true");
        runner.withPropertyValues("mailkit.host-name=first.test").run(first -> runner
                .withPropertyValues("mailkit.host-name=second.test").run(second -> {
                    MailKitServers a = first.getBean(MailKitServers.class);
                    MailKitServers b = second.getBean(MailKitServers.class);
                    assertThat(a.smtpPort()).isNotEqualTo(b.smtpPort());
                    assertThat(a.imapPort()).isNotEqualTo(b.imapPort());
                    Clients.send(a.host(), a.smtpPort(), "x@remote.test", "one@first.test", "to the first");
                    Clients.send(b.host(), b.smtpPort(), "x@remote.test", "two@second.test", "to the second");
                    Clients.send(b.host(), b.smtpPort(), "x@remote.test", "three@second.test", "to the second again");
                    InMemorySink sa = first.getBean(InMemorySink.class);
                    InMemorySink sb = second.getBean(InMemorySink.class);
                    assertThat(sb.await(2, Duration.ofSeconds(10))).isTrue();
                    assertThat(sa.messages()).singleElement().satisfies(m -> assertThat(m.envelope().recipients())
                            .containsExactly(MailAddress.parse("one@first.test")));
                    assertThat(sb.messages()).hasSize(2).allSatisfy(m -> assertThat(
                            m.source().mimeMessage().getHeader("Received", null)).contains("second.test"));
                    assertThat(a.messagesDelivered()).isEqualTo(1);
                    assertThat(b.messagesDelivered()).isEqualTo(2);
                    // stopping one leaves the other serving
                    first.stop();
                    Clients.send(b.host(), b.smtpPort(), "x@remote.test", "four@second.test", "still there");
                    assertThat(sb.count()).isEqualTo(3);
                }));
    }
}
