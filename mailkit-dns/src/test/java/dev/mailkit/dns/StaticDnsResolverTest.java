package dev.mailkit.dns;

import dev.mailkit.core.dns.DnsAnswer;
import dev.mailkit.core.dns.DnsException;
import dev.mailkit.core.dns.DnsRecord;
import dev.mailkit.core.dns.DnsType;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The in-memory resolver answers as an authoritative server would: records, NODATA, NXDOMAIN, failures. */
class StaticDnsResolverTest {
    static final Duration WAIT = Duration.ofSeconds(1);

    final StaticDnsResolver dns = StaticDnsResolver.builder()
            .mx("Remote.Test.", 20, "MX2.remote.test").mx("remote.test", 10, "mx1.remote.test")
            .address("mx1.remote.test", "127.0.0.1", "::1")
            .nullMx("nomail.test")
            .txt("remote.test", "v=spf1 ", "-all")
            .ptr("1.0.0.127.in-addr.arpa", "mx1.remote.test")
            .failing("broken.test")
            .build();

    @Test
    void answersByTypeAndName() throws Exception {
        assertThat(dns.lookup("remote.test", DnsType.MX, WAIT).records(DnsRecord.Mx.class))
                .containsExactly(new DnsRecord.Mx(20, "mx2.remote.test"), new DnsRecord.Mx(10, "mx1.remote.test"));
        assertThat(dns.lookup("MX1.REMOTE.TEST.", DnsType.A, WAIT).records()).hasSize(1);
        assertThat(dns.lookup("mx1.remote.test", DnsType.AAAA, WAIT).records()).hasSize(1);
        assertThat(dns.lookup("remote.test", DnsType.TXT, WAIT).records(DnsRecord.Txt.class).get(0).text())
                .isEqualTo("v=spf1 -all");
        assertThat(dns.lookup("nomail.test", DnsType.MX, WAIT).records(DnsRecord.Mx.class).get(0).isNullMx()).isTrue();
        assertThat(dns.lookup("1.0.0.127.in-addr.arpa", DnsType.PTR, WAIT).records())
                .containsExactly(new DnsRecord.Ptr("mx1.remote.test"));
    }

    @Test
    void noDataNoSuchNameAndFailure() throws Exception {
        DnsAnswer nodata = dns.lookup("mx1.remote.test", DnsType.MX, WAIT);
        assertThat(nodata.records()).isEmpty();
        assertThat(nodata.isNoSuchName()).isFalse();
        assertThat(dns.lookup("nx.test", DnsType.A, WAIT).isNoSuchName()).isTrue();
        assertThatThrownBy(() -> dns.lookup("broken.test", DnsType.MX, WAIT)).isInstanceOf(DnsException.class)
                .hasMessageContaining("broken.test");
    }

    @Test
    void badInputIsRefusedWithAReason() {
        assertThatThrownBy(() -> StaticDnsResolver.builder().address("h.test", "example.com"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an IP address literal");
        assertThatThrownBy(() -> StaticDnsResolver.builder().mx("d.test", 10, "."))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nullMx");
        assertThatThrownBy(() -> StaticDnsResolver.builder().mx("d.test", 70000, "mx.test"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0..65535");
    }
}
