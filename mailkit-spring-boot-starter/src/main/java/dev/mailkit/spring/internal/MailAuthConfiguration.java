package dev.mailkit.spring.internal;

import dev.mailkit.core.filter.MailFilter;
import dev.mailkit.core.outbound.MessageSigner;
import dev.mailkit.mailauth.dkim.DkimSigner;
import dev.mailkit.mailauth.dkim.DkimVerifier;
import dev.mailkit.mailauth.dmarc.DmarcChecker;
import dev.mailkit.mailauth.dmarc.DmarcFilter;
import dev.mailkit.mailauth.dnsbl.DnsBlocklistFilter;
import dev.mailkit.mailauth.spf.SpfChecker;
import dev.mailkit.spring.MailKitProperties;
import dev.mailkit.spring.RelayProperties;
import dev.mailkit.spring.SmtpProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Sender authentication from mailkit-mailauth, when the application has it: the DNS blocklist and SPF/DKIM/DMARC
 * filters of {@code mailkit.smtp.*}, and the DKIM signer of {@code mailkit.relay.dkim.*}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "dev.mailkit.mailauth.dkim.DkimSigner")
public class MailAuthConfiguration {
    /** The DNS blocklist and inbound-auth filters (none when neither property is set). */
    @Bean
    InboundFilters mailkitInboundFilters(MailKitProperties p) {
        SmtpProperties s = p.getSmtp();
        List<MailFilter> filters = new ArrayList<>();
        if (!s.getDnsblZones().isEmpty()) {
            DnsBlocklistFilter.Builder b = DnsBlocklistFilter.builder();
            Problems.apply("mailkit.smtp.trusted-networks", s.getTrustedNetworks(),
                    () -> b.exempt(s.getTrustedNetworks().toArray(new String[0])));
            for (String zone : s.getDnsblZones()) {
                Problems.apply("mailkit.smtp.dnsbl-zones", s.getDnsblZones(), () -> b.zone(zone));
            }
            filters.add(b.build());
        }
        if (s.getInboundAuth() != SmtpProperties.InboundAuth.OFF) {
            String receiver = p.getDomains().isEmpty() ? p.getHostName() : p.getDomains().get(0);
            DmarcFilter f = DmarcFilter.of(SpfChecker.builder().receiver(receiver).build(),
                    DkimVerifier.builder().build(), DmarcChecker.builder().build(), receiver);
            filters.add(s.getInboundAuth() == SmtpProperties.InboundAuth.ENFORCE ? f : f.recordOnly());
        }
        return new InboundFilters(filters);
    }

    /** The DKIM signer of {@code mailkit.relay.dkim.*}, unless the application declares a {@link MessageSigner}. */
    @Bean
    @ConditionalOnProperty(prefix = "mailkit.relay.dkim", name = "domain")
    @ConditionalOnMissingBean(MessageSigner.class)
    MessageSigner mailkitDkimSigner(MailKitProperties p) {
        RelayProperties.Dkim d = p.getRelay().getDkim();
        if (d.getSelector() == null || d.getPrivateKey() == null) {
            String missing = d.getSelector() == null ? "mailkit.relay.dkim.selector" : "mailkit.relay.dkim.private-key";
            throw Problems.problem(missing, null, "DKIM signing needs a domain, a selector and a private key",
                    "Set " + missing + ".");
        }
        Path key = TlsFactory.file(d.getPrivateKey(), "mailkit.relay.dkim.private-key");
        try {
            DkimSigner[] out = new DkimSigner[1];
            Problems.apply("mailkit.relay.dkim.private-key", d.getPrivateKey(),
                    () -> out[0] = DkimSigner.fromPem(d.getDomain(), d.getSelector(), key));
            return out[0];
        } finally {
            TlsFactory.deleteCopy(d.getPrivateKey(), key);
        }
    }
}
