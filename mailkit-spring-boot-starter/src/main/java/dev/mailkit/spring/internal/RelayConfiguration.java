package dev.mailkit.spring.internal;

import dev.mailkit.core.dns.DnsResolver;
import dev.mailkit.core.outbound.MessageSigner;
import dev.mailkit.core.outbound.OutboundQueue;
import dev.mailkit.core.sink.MessageSink;
import dev.mailkit.relay.RelayQueue;
import dev.mailkit.relay.RelayTls;
import dev.mailkit.relay.SmartHost;
import dev.mailkit.spring.MailKitProperties;
import dev.mailkit.spring.RelayProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;

/**
 * The relay queue of {@code mailkit.relay.*}, when the application has mailkit-relay. It signs with every
 * {@link MessageSigner} bean (the DKIM signer of {@code mailkit.relay.dkim.*}, or the application's), resolves with
 * the application's {@link DnsResolver} bean if it has one, and hands mail for the local domains (bounces to local
 * senders) to the application's message sink.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "dev.mailkit.relay.RelayQueue")
@ConditionalOnProperty(prefix = "mailkit.relay", name = "enabled", havingValue = "true")
public class RelayConfiguration {
    /** The relay, built anew at each start of the servers. */
    @Bean
    RelaySource mailkitRelay(MailKitProperties p, MessageSink sink, ObjectProvider<MessageSigner> signers,
                             ObjectProvider<DnsResolver> resolver) {
        return new Plan(p, sink, signers.orderedStream().toList(), resolver.getIfAvailable());
    }

    /** A configured {@link RelayQueue.Builder}. */
    static final class Plan implements RelaySource {
        private final RelayQueue.Builder builder;

        Plan(MailKitProperties p, MessageSink sink, List<MessageSigner> signers, DnsResolver resolver) {
            RelayProperties r = p.getRelay();
            if (r.getDirectory() == null) {
                throw Problems.problem("mailkit.relay.directory", null, "the relay queue keeps mail in a directory, "
                        + "and none is set", "Set mailkit.relay.directory (e.g. /var/lib/myapp/relay-queue).");
            }
            builder = RelayQueue.builder(r.getDirectory());
            Problems.apply("mailkit.host-name", p.getHostName(), () -> builder.hostName(p.getHostName()));
            List<String> domains = p.getDomains().isEmpty() ? List.of("localhost") : p.getDomains();
            builder.localDelivery(sink, domains.toArray(new String[0]));
            RelayProperties.SmartHost sh = r.getSmartHost();
            if (sh.getHost() != null) {
                Problems.apply("mailkit.relay.smart-host.host", sh.getHost() + ":" + sh.getPort(), () -> {
                    SmartHost.Builder b = SmartHost.builder(sh.getHost(), sh.getPort())
                            .tls(sh.getTls() == RelayProperties.SmartHostTls.REQUIRED ? RelayTls.REQUIRED
                                    : RelayTls.OPPORTUNISTIC);
                    if (sh.getUsername() != null) {
                        b.auth(sh.getUsername(), sh.getPassword());
                    }
                    builder.smartHost(b.build());
                });
            }
            if (!signers.isEmpty()) {
                builder.signers(signers.toArray(new MessageSigner[0]));
            }
            if (resolver != null) {
                builder.resolver(resolver);
            }
            // a queue holds its directory from build() on: this one only checks, and lets go at once
            Problems.apply("mailkit.relay.directory", r.getDirectory(), () -> builder.build().close());
        }

        @Override
        public Running start() {
            RelayQueue q = builder.build().start();
            return new Running() {
                @Override
                public OutboundQueue queue() {
                    return q;
                }

                @Override
                public int size() {
                    return q.size();
                }

                @Override
                public void close() {
                    q.close();
                }
            };
        }
    }
}
