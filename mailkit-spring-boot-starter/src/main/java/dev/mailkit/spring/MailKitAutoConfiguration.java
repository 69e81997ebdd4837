package dev.mailkit.spring;

import dev.mailkit.core.auth.UserDirectory;
import dev.mailkit.core.filter.MailFilter;
import dev.mailkit.core.sink.MessageSink;
import dev.mailkit.core.tls.TlsConfig;
import dev.mailkit.spring.internal.Components;
import dev.mailkit.spring.internal.CountingSink;
import dev.mailkit.spring.internal.InboundFilters;
import dev.mailkit.spring.internal.MailAuthConfiguration;
import dev.mailkit.spring.internal.MailSenderConfiguration;
import dev.mailkit.spring.internal.Problems;
import dev.mailkit.spring.internal.RelayConfiguration;
import dev.mailkit.spring.internal.RelaySource;
import dev.mailkit.spring.internal.ServerPlan;
import dev.mailkit.spring.internal.TlsFactory;
import dev.mailkit.store.MailStore;
import dev.mailkit.store.delivery.DeliveryAgent;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Import;
import org.springframework.util.ClassUtils;

import java.util.ArrayList;
import java.util.List;

/**
 * Starts the mailkit servers that the {@code mailkit.*} properties enable ({@code mailkit.smtp.enabled},
 * {@code mailkit.imap.enabled}, {@code mailkit.pop3.enabled}): with none enabled it does nothing.
 *
 * <p>Beans the application declares take the place of the defaults: a {@link MessageSink} (default: the
 * {@link DeliveryAgent} over the store), a {@link UserDirectory} (default: {@code mailkit.users}), a {@link MailStore}
 * (default: {@code mailkit.store}), a {@link TlsConfig} (default: {@code mailkit.tls}); every {@link MailFilter} bean
 * joins the SMTP server's filters, in {@code @Order}, after those of {@code mailkit.smtp.dnsbl-zones} and
 * {@code mailkit.smtp.inbound-auth}. The servers are one {@link MailKitServers} bean, started and stopped with the
 * context. A property that mailkit cannot work with stops the start with a {@link MailKitConfigurationException},
 * which Spring Boot's failure analysis reports with the property and what to change.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.autoconfigure.mail.MailSenderAutoConfiguration")
@Conditional(MailKitAutoConfiguration.AnyServerEnabled.class)
@EnableConfigurationProperties(MailKitProperties.class)
@Import({RelayConfiguration.class, MailAuthConfiguration.class, MailSenderConfiguration.class})
public class MailKitAutoConfiguration {
    /** Used by Spring Boot. */
    public MailKitAutoConfiguration() {
    }

    /** The users of {@code mailkit.users}. */
    @Bean
    @ConditionalOnMissingBean
    UserDirectory mailkitUserDirectory(MailKitProperties p) {
        return Components.users(p.getUsers());
    }

    /** The store of {@code mailkit.store}; closed after the servers stopped. */
    @Bean
    @ConditionalOnMissingBean
    MailStore mailkitMailStore(MailKitProperties p) {
        return Components.store(p.getStore());
    }

    /** The default message sink: the delivery agent, filing mail into the users' mailboxes. */
    @Bean
    @ConditionalOnMissingBean(MessageSink.class)
    DeliveryAgent mailkitDeliveryAgent(MailStore store, UserDirectory users, MailKitProperties p) {
        return Components.deliveryAgent(store, users, p.getDelivery());
    }

    /** The servers, checked now and started with the context. */
    @Bean
    @ConditionalOnMissingBean
    MailKitServers mailKitServers(MailKitProperties p, ObjectProvider<TlsConfig> tls, UserDirectory users,
                                  MailStore store, MessageSink sink, ObjectProvider<MailFilter> filters,
                                  ObjectProvider<InboundFilters> inbound, ObjectProvider<RelaySource> relay) {
        checkModules(p, relay.getIfAvailable() != null, getClass().getClassLoader());
        List<MailFilter> chain = new ArrayList<>();
        inbound.ifAvailable(i -> chain.addAll(i.filters()));
        filters.orderedStream().forEach(chain::add);
        TlsConfig t = tls.getIfAvailable(() -> TlsFactory.create(p.getTls()));
        ServerPlan plan = new ServerPlan(p, t, users, store, new CountingSink(sink), chain, relay.getIfAvailable());
        return new MailKitServers(plan, p.getBindAddress());
    }

    /** A property that needs a module the application does not have fails here, saying which to add. */
    static void checkModules(MailKitProperties p, boolean relayDefined, ClassLoader cl) {
        if (p.getRelay().isEnabled() && !relayDefined) {
            throw Problems.problem("mailkit.relay.enabled", true, "the relay queue is in mailkit-relay, which is not on "
                    + "the class path", "Add the dependency dev.mailkit:mailkit-relay (its version comes from "
                    + "mailkit-bom), or remove mailkit.relay.enabled.");
        }
        String mailauth = p.getSmtp().getInboundAuth() != SmtpProperties.InboundAuth.OFF ? "mailkit.smtp.inbound-auth"
                : !p.getSmtp().getDnsblZones().isEmpty() ? "mailkit.smtp.dnsbl-zones"
                : p.getRelay().getDkim().isConfigured() ? "mailkit.relay.dkim.domain" : null;
        if (mailauth != null && !ClassUtils.isPresent("dev.mailkit.mailauth.dkim.DkimSigner", cl)) {
            throw Problems.problem(mailauth, "set", "SPF, DKIM, DMARC and DNS blocklists are in mailkit-mailauth, "
                    + "which is not on the class path", "Add the dependency dev.mailkit:mailkit-mailauth (its version "
                    + "comes from mailkit-bom), or remove " + mailauth + ".");
        }
        if (p.getRelay().getDkim().isConfigured() && !p.getRelay().isEnabled()) {
            throw Problems.problem("mailkit.relay.dkim.domain", p.getRelay().getDkim().getDomain(), "mail is signed "
                    + "when the relay queues it, and the relay is not enabled", "Set mailkit.relay.enabled=true and "
                    + "mailkit.relay.directory, or remove mailkit.relay.dkim.*.");
        }
        if (p.getMailSender().isEnabled()) {
            if (!ClassUtils.isPresent("org.springframework.mail.javamail.JavaMailSenderImpl", cl)) {
                throw Problems.problem("mailkit.mail-sender.enabled", true, "a JavaMailSender needs "
                        + "spring-context-support and Jakarta Mail", "Add org.springframework.boot:"
                        + "spring-boot-starter-mail, or remove mailkit.mail-sender.enabled.");
            }
            if (!p.getSmtp().isEnabled()) {
                throw Problems.problem("mailkit.mail-sender.enabled", true, "the mail sender sends through mailkit's "
                        + "SMTP server, which is not enabled", "Set mailkit.smtp.enabled=true, or remove "
                        + "mailkit.mail-sender.enabled.");
            }
        }
    }

    /** Matches when at least one of the SMTP, IMAP and POP3 servers is enabled. */
    static final class AnyServerEnabled extends AnyNestedCondition {
        AnyServerEnabled() {
            super(ConfigurationPhase.PARSE_CONFIGURATION);
        }

        @ConditionalOnProperty(prefix = "mailkit.smtp", name = "enabled", havingValue = "true")
        static final class Smtp {
        }

        @ConditionalOnProperty(prefix = "mailkit.imap", name = "enabled", havingValue = "true")
        static final class Imap {
        }

        @ConditionalOnProperty(prefix = "mailkit.pop3", name = "enabled", havingValue = "true")
        static final class Pop3 {
        }
    }
}
