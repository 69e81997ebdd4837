package dev.mailkit.dns;

import dev.mailkit.dns.testing.Dnsmasq;
import dev.mailkit.dns.testing.ZoneResolver;

import dev.mailkit.core.dns.DnsAnswer;
import dev.mailkit.core.dns.DnsException;
import dev.mailkit.core.dns.DnsRecord;
import dev.mailkit.core.dns.DnsType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.TXTRecord;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Lookups through dnsjava into mailkit's own answer types: from an in-memory zone (with dnsjava's caching traps), and
 * from a real DNS server (dnsmasq).
 */
class DnsJavaResolverTest {
    @TempDir
    Path dir;

    static Name n(String s) throws IOException {
        return Name.fromString(s);
    }

    static ZoneResolver zone() throws IOException {
        return new ZoneResolver("test.",
                new MXRecord(n("remote.test."), DClass.IN, 300, 20, n("mx2.remote.test.")),
                new MXRecord(n("remote.test."), DClass.IN, 300, 10, n("mx1.remote.test.")),
                new ARecord(n("mx1.remote.test."), DClass.IN, 300, InetAddress.getByName("127.0.0.1")),
                new AAAARecord(n("mx1.remote.test."), DClass.IN, 300, InetAddress.getByName("::1")),
                new ARecord(n("mx2.remote.test."), DClass.IN, 300, InetAddress.getByName("127.0.0.2")),
                new MXRecord(n("nullmx.test."), DClass.IN, 300, 0, Name.root),
                new ARecord(n("nomx.test."), DClass.IN, 300, InetAddress.getByName("127.0.0.3")),
                new TXTRecord(n("txt.test."), DClass.IN, 300, java.util.List.of("v=spf1 ", "-all")));
    }

    static final Duration WAIT = Duration.ofSeconds(5);

    static java.util.List<String> mx(DnsJavaResolver r, String name) throws DnsException {
        return r.lookup(name, DnsType.MX, WAIT).records(DnsRecord.Mx.class).stream()
                .map(m -> m.preference() + " " + (m.isNullMx() ? "." : m.host())).sorted().toList();
    }

    static java.util.List<String> addresses(DnsJavaResolver r, String name, DnsType type) throws DnsException {
        return r.lookup(name, type, WAIT).records(DnsRecord.Address.class).stream()
                .map(a -> a.address().getHostAddress()).toList();
    }

    @Test
    void mxRecordsAddressesAndText() throws Exception {
        DnsJavaResolver r = DnsJavaResolver.over(zone(), Duration.ofSeconds(2));
        assertThat(mx(r, "remote.test")).containsExactly("10 mx1.remote.test", "20 mx2.remote.test");
        assertThat(addresses(r, "mx1.remote.test", DnsType.A)).containsExactly("127.0.0.1");
        assertThat(addresses(r, "mx1.remote.test.", DnsType.AAAA)).containsExactly("0:0:0:0:0:0:0:1");
        assertThat(mx(r, "nullmx.test")).containsExactly("0 .");
        assertThat(r.lookup("nullmx.test", DnsType.MX, WAIT).records(DnsRecord.Mx.class).get(0).isNullMx()).isTrue();
        DnsRecord.Txt txt = r.lookup("txt.test", DnsType.TXT, WAIT).records(DnsRecord.Txt.class).get(0);
        assertThat(txt.text()).as("character strings joined byte for byte").isEqualTo("v=spf1 -all");
        assertThat(txt.strings()).hasSize(2);
    }

    /**
     * The dnsjava trap: "no record of this type" is an empty answer the first time and a NoSuchRRSetException once
     * the negative answer is cached. Both must be the same empty answer, never a failure.
     */
    @Test
    void noRecordsIsTheSameAnswerFromTheNetworkAndFromTheCache() throws Exception {
        ZoneResolver zone = zone();
        DnsJavaResolver r = DnsJavaResolver.over(zone, Duration.ofSeconds(2));
        DnsAnswer first = r.lookup("nomx.test", DnsType.MX, WAIT);
        assertThat(first.records()).isEmpty();
        assertThat(first.isNoSuchName()).isFalse();
        int asked = zone.queries.get();
        DnsAnswer second = r.lookup("nomx.test", DnsType.MX, WAIT);
        assertThat(second.records()).isEmpty();
        assertThat(second.isNoSuchName()).isFalse();
        assertThat(zone.queries.get()).as("the second answer came from the cache").isEqualTo(asked);
        assertThat(addresses(r, "nomx.test", DnsType.A)).containsExactly("127.0.0.3");
        assertThat(addresses(r, "nomx.test", DnsType.AAAA)).isEmpty();
        assertThat(addresses(r, "nomx.test", DnsType.AAAA)).isEmpty(); // cached NoSuchRRSet
        assertThat(r.lookup("nx.test", DnsType.MX, WAIT).isNoSuchName()).isTrue();
        assertThat(r.lookup("nx.test", DnsType.MX, WAIT).isNoSuchName()).isTrue();
        assertThat(r.lookup("not a name..", DnsType.A, WAIT).isNoSuchName()).as("not a domain name").isTrue();
    }

    @Test
    void serverFailureIsTemporary() throws Exception {
        ZoneResolver zone = zone();
        zone.serverFailure = true;
        DnsJavaResolver r = DnsJavaResolver.over(zone, Duration.ofSeconds(2));
        assertThatThrownBy(() -> r.lookup("remote.test", DnsType.MX, WAIT)).isInstanceOf(DnsException.class)
                .hasMessageContaining("remote.test");
        assertThat(r.lookup("mx1.remote.test", DnsType.A)).failsWithin(WAIT)
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(DnsException.class);
    }

    @Test
    void eachResolverHasItsOwnCache() throws Exception {
        ZoneResolver zone = zone();
        DnsJavaResolver first = DnsJavaResolver.over(zone, Duration.ofSeconds(2));
        assertThat(mx(first, "nomx.test")).isEmpty();
        zone.zone.addRecord(new MXRecord(n("nomx.test."), DClass.IN, 300, 5, n("mx1.remote.test.")));
        DnsJavaResolver second = DnsJavaResolver.over(zone, Duration.ofSeconds(2));
        assertThat(mx(second, "nomx.test")).as("not the first resolver's cached answer")
                .containsExactly("5 mx1.remote.test");
        assertThat(mx(first, "nomx.test")).isEmpty();
    }

    @Test
    void settingsAreChecked() {
        assertThatThrownBy(() -> DnsJavaResolver.using(Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one DNS server");
        assertThatThrownBy(() -> DnsJavaResolver.system(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout must be positive");
    }

    static final String[] ZONE = {
            "mx-host=remote.test,mx2.remote.test,20", "mx-host=remote.test,mx1.remote.test,10",
            "host-record=mx1.remote.test,127.0.0.1", "host-record=mx2.remote.test,127.0.0.2",
            "dns-rr=nullmx.test,15,000000", // MX 0 "." (RFC 7505), written as raw RDATA
            "host-record=nomx.test,127.0.0.2",
            "txt-record=txt.test,\"v=spf1 ip4:192.0.2.0/24 -all\"",
            "ptr-record=7.2.0.192.in-addr.arpa,Mail.Example.Test"};

    @Test
    void answersFromDnsmasq() throws Exception {
        try (Dnsmasq dns = new Dnsmasq(dir, ZONE)) {
            DnsJavaResolver r = DnsJavaResolver.using(Duration.ofSeconds(2), dns.address);
            assertThat(mx(r, "remote.test")).containsExactly("10 mx1.remote.test", "20 mx2.remote.test");
            assertThat(mx(r, "nullmx.test")).containsExactly("0 .");
            assertThat(mx(r, "nomx.test")).isEmpty();
            assertThat(mx(r, "nomx.test")).isEmpty(); // cached
            assertThat(r.lookup("nx.test", DnsType.MX, WAIT).isNoSuchName()).isTrue();
            assertThat(addresses(r, "mx2.remote.test", DnsType.A)).containsExactly("127.0.0.2");
            assertThat(r.lookup("txt.test", DnsType.TXT, WAIT).records(DnsRecord.Txt.class).get(0).text())
                    .isEqualTo("v=spf1 ip4:192.0.2.0/24 -all");
            assertThat(r.lookup("7.2.0.192.in-addr.arpa", DnsType.PTR, WAIT).records(DnsRecord.Ptr.class))
                    .containsExactly(new DnsRecord.Ptr("mail.example.test"));
        }
    }
}
