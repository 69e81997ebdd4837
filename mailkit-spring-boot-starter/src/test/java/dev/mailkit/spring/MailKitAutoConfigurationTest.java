package dev.mailkit.spring;

import dev.mailkit.core.MailAddress;
import dev.mailkit.core.auth.InMemoryUserDirectory;
import dev.mailkit.core.auth.UserDirectory;
import dev.mailkit.core.filter.FilterVerdict;
import dev.mailkit.core.filter.MailFilter;
import dev.mailkit.core.filter.SessionInfo;
import dev.mailkit.core.sink.InMemorySink;
import dev.mailkit.smtp.SmtpRole;
import dev.mailkit.store.MailStore;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.delivery.DeliveryAgent;
import dev.mailkit.store.memory.MemoryMailStore;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.SendFailedException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The auto-configuration's conditions, properties and bean replacement, with Spring Boot's context runner. */
class MailKitAutoConfigurationTest {
    static final ApplicationContextRunner RUNNER = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MailKitAutoConfiguration.class));

    @Test
    void withoutAnEnabledServerNothingIsCreated() {
        RUNNER.withPropertyValues("mailkit.users[0].address=ann@example.test", "mailkit.users[0].password=pw")
                .run(c -> {
                    assertThat(c).hasNotFailed().doesNotHaveBean(MailKitServers.class)
                            .doesNotHaveBean(MailStore.class).doesNotHaveBean(UserDirectory.class);
                });
    }

    @Test
    void smtpDeliversIntoTheStoreForTheConfiguredUsers() {
        RUNNER.withPropertyValues("mailkit.smtp.enabled=true", "mailkit.domains=example.test",
                "mailkit.users[0].address=ann@example.test", "mailkit.users[0].password=secret",
                "mailkit.delivery.aliases[team@example.test]=ann@example.test").run(c -> {
                    assertThat(c).hasSingleBean(MailKitServers.class).hasSingleBean(DeliveryAgent.class);
                    MailKitServers s = c.getBean(MailKitServers.class);
                    assertThat(s.isRunning()).isTrue();
                    assertThat(s.smtpPort()).isPositive().isEqualTo(s.smtpPort(SmtpRole.MX));
                    Clients.send(s.host(), s.smtpPort(), "bob@remote.test", "team@example.test", "via the alias");
                    assertThat(s.messagesDelivered()).isEqualTo(1);
                    MailStore store = c.getBean(MailStore.class);
                    try (var inbox = store.account(MailAddress.parse("ann@example.test")).open(MailboxName.INBOX)) {
                        assertThat(inbox.status().messages()).isEqualTo(1);
                    }
                    // an address that is neither a user nor an alias is refused at RCPT
                    assertThatThrownBy(() -> Clients.send(s.host(), s.smtpPort(), "bob@remote.test",
                            "nobody@example.test", "lost")).isInstanceOf(SendFailedException.class)
                            .hasStackTraceContaining("550 5.1.1");
                });
    }

    @Test
    void imapAndPop3ServeTheStoreOverTlsToTheConfiguredUsers() {
        RUNNER.withPropertyValues("mailkit.smtp.enabled=true", "mailkit.imap.enabled=true",
                "mailkit.imap.implicit-tls-port=0", "mailkit.pop3.enabled=true", "mailkit.tls.self-signed=true",
                "mailkit.domains=example.test", "mailkit.users[0].address=ann@example.test",
                "mailkit.users[0].password=secret").run(c -> {
                    MailKitServers s = c.getBean(MailKitServers.class);
                    Clients.send(s.host(), s.smtpPort(), "bob@remote.test", "ann@example.test", "Hello Ann");
                    var trust = s.tls().orElseThrow().clientSslContext();
                    assertThat(Clients.imapSubjects("imaps", s.host(), s.imapsPort(), "ann@example.test", "secret",
                            trust)).containsExactly("Hello Ann");
                    assertThat(s.pop3Port()).isPositive().isNotEqualTo(s.imapPort());
                    assertThatThrownBy(() -> Clients.imapSubjects("imaps", s.host(), s.imapsPort(),
                            "ann@example.test", "wrong", trust)).isInstanceOf(AuthenticationFailedException.class);
                });
    }

    @Test
    void anApplicationsMessageSinkTakesThePlaceOfTheDeliveryAgent() {
        RUNNER.withPropertyValues("mailkit.smtp.enabled=true", "mailkit.smtp.accept-all-domains=true")
                .withUserConfiguration(SinkConfig.class).run(c -> {
                    assertThat(c).doesNotHaveBean(DeliveryAgent.class);
                    MailKitServers s = c.getBean(MailKitServers.class);
                    Clients.send(s.host(), s.smtpPort(), "bob@remote.test", "anyone@anywhere.test", "to the sink");
                    InMemorySink sink = c.getBean(InMemorySink.class);
                    assertThat(sink.poll(Duration.ofSeconds(10))).hasValueSatisfying(m ->
                            assertThat(m.envelope().recipients()).extracting(MailAddress::toString)
                                    .containsExactly("anyone@anywhere.test"));
                });
    }

    @Test
    void anApplicationsUsersStoreAndFiltersAreUsed() {
        RUNNER.withPropertyValues("mailkit.smtp.enabled=true", "mailkit.imap.enabled=true",
                "mailkit.domains=example.test", "mailkit.users[0].address=ignored@example.test",
                "mailkit.users[0].password=never")
                .withUserConfiguration(UsersStoreAndFilterConfig.class).run(c -> {
                    assertThat(c.getBean(MailStore.class)).isSameAs(c.getBean(UsersStoreAndFilterConfig.class).store);
                    MailKitServers s = c.getBean(MailKitServers.class);
                    Clients.send(s.host(), s.smtpPort(), "bob@remote.test", "carol@example.test", "for Carol");
                    assertThat(Clients.imapSubjects("imap", s.host(), s.imapPort(), "carol@example.test", "pw",
                            null)).containsExactly("for Carol");
                    assertThatThrownBy(() -> Clients.send(s.host(), s.smtpPort(), "spammer@bad.test",
                            "carol@example.test", "spam")).hasStackTraceContaining("550 5.7.1 go away");
                    assertThatThrownBy(() -> Clients.imapSubjects("imap", s.host(), s.imapPort(),
                            "ignored@example.test", "never", null)).isInstanceOf(AuthenticationFailedException.class);
                });
    }

    @Test
    void theServersStopAndStartAgainWithTheContext() {
        RUNNER.withPropertyValues("mailkit.smtp.enabled=true", "mailkit.smtp.accept-all-domains=true")
                .withUserConfiguration(SinkConfig.class).run(c -> {
                    MailKitServers s = c.getBean(MailKitServers.class);
                    var first = s.smtp().orElseThrow();
                    c.stop();
                    assertThat(s.isRunning()).isFalse();
                    assertThat(first.isRunning()).isFalse();
                    assertThat(s.smtp()).isEmpty();
                    assertThatThrownBy(s::smtpPort).isInstanceOf(IllegalStateException.class)
                            .hasMessageContaining("not running");
                    c.start();
                    assertThat(s.smtp()).isPresent().get().isNotSameAs(first);
                    Clients.send(s.host(), s.smtpPort(), "a@b.test", "c@d.test", "after the restart");
                    assertThat(c.getBean(InMemorySink.class).count()).isEqualTo(1);
                });
    }

    @Test
    void closingTheContextClosesTheServersAndTheStore() {
        var store = new java.util.concurrent.atomic.AtomicReference<MailKitServers>();
        RUNNER.withPropertyValues("mailkit.pop3.enabled=true").run(c -> store.set(c.getBean(MailKitServers.class)));
        assertThat(store.get().isRunning()).isFalse();
        assertThat(store.get().pop3()).isEmpty();
    }

    @Test
    void senderAuthenticationFiltersComeFromTheProperties() {
        RUNNER.withPropertyValues("mailkit.smtp.enabled=true", "mailkit.smtp.inbound-auth=record",
                "mailkit.smtp.dnsbl-zones=zen.example.test").run(c -> assertThat(
                        c.getBean(dev.mailkit.spring.internal.InboundFilters.class).filters())
                .hasExactlyElementsOfTypes(dev.mailkit.mailauth.dnsbl.DnsBlocklistFilter.class,
                        dev.mailkit.mailauth.dmarc.DmarcFilter.class));
        RUNNER.withPropertyValues("mailkit.smtp.enabled=true").run(c -> assertThat(
                c.getBean(dev.mailkit.spring.internal.InboundFilters.class).filters()).isEmpty());
    }

    @Configuration(proxyBeanMethods = false)
    static class SinkConfig {
        @Bean
        InMemorySink sink() {
            return new InMemorySink();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UsersStoreAndFilterConfig {
        final MailStore store = MemoryMailStore.create();

        @Bean
        UserDirectory users() {
            return InMemoryUserDirectory.builder().user("carol@example.test", "pw").build();
        }

        @Bean
        MailStore store() {
            return store;
        }

        @Bean
        MailFilter noSpammers() {
            return new MailFilter() {
                @Override
                public FilterVerdict onMailFrom(SessionInfo s, Optional<MailAddress> from, Map<String, String> p) {
                    return from.map(MailAddress::toString).filter(f -> f.endsWith("@bad.test")).isPresent()
                            ? FilterVerdict.reject(550, "5.7.1", "go away") : FilterVerdict.accept();
                }
            };
        }
    }
}
