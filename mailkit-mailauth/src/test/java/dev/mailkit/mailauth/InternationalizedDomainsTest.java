package dev.mailkit.mailauth;

import dev.mailkit.dns.StaticDnsResolver;
import dev.mailkit.mailauth.dmarc.DmarcChecker;
import dev.mailkit.mailauth.dmarc.DmarcResult;
import dev.mailkit.mailauth.spf.SpfChecker;
import dev.mailkit.mailauth.spf.SpfResult;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 8616: SPF and DMARC for a domain written in U-labels ask DNS for its A-label form, and align the two forms as
 * one domain.
 */
class InternationalizedDomainsTest {
    final StaticDnsResolver dns = StaticDnsResolver.builder()
            .txt("xn--bcher-kva.example", "v=spf1 ip4:192.0.2.0/24 -all")
            .txt("_dmarc.xn--bcher-kva.example", "v=DMARC1; p=reject")
            .build();

    @Test
    void spfAsksForTheALabelForm() throws Exception {
        SpfChecker spf = SpfChecker.builder().resolver(dns).build();
        SpfResult pass = spf.checkMailFrom(InetAddress.getByName("192.0.2.7"), "jörg@Bücher.example", "mx.test");
        assertThat(pass.result()).isEqualTo(SpfResult.Result.PASS);
        assertThat(pass.domain()).isEqualTo("xn--bcher-kva.example");
        assertThat(spf.checkMailFrom(InetAddress.getByName("198.51.100.1"), "jörg@bücher.example", "mx.test").result())
                .isEqualTo(SpfResult.Result.FAIL);
    }

    @Test
    void dmarcFindsThePolicyAndAlignsBothForms() throws Exception {
        SpfChecker spf = SpfChecker.builder().resolver(dns).build();
        DmarcChecker dmarc = DmarcChecker.builder().resolver(dns).build();
        SpfResult pass = spf.checkMailFrom(InetAddress.getByName("192.0.2.7"), "bounce@xn--bcher-kva.example", "h");
        DmarcResult aligned = dmarc.check("bücher.example", pass, List.of());
        assertThat(aligned.result()).isEqualTo(DmarcResult.Result.PASS);
        SpfResult fail = spf.checkMailFrom(InetAddress.getByName("198.51.100.1"), "bounce@bücher.example", "h");
        DmarcResult rejected = dmarc.check("Bücher.example", fail, List.of());
        assertThat(rejected.result()).isEqualTo(DmarcResult.Result.FAIL);
        assertThat(rejected.policy()).isEqualTo(DmarcResult.Policy.REJECT);
    }
}
