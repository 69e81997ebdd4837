package dev.mailkit.smtp.relay;

import dev.mailkit.smtp.testing.Dnsmasq;
import dev.mailkit.smtp.testing.ZoneResolver;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** MX and address lookups through dnsjava: from an in-memory zone, and from a real DNS server (dnsmasq). */
class DnsRelayResolverTest {
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
                new ARecord(n("nomx.test."), DClass.IN, 300, InetAddress.getByName("127.0.0.3")));
    }

    @Test
    void mxRecordsInPreferenceOrderAndAddresses() throws Exception {
        DnsRelayResolver r = DnsRelayResolver.using(zone(), Duration.ofSeconds(2));
        MxLookup mx = r.mx("remote.test");
        assertThat(mx.kind()).isEqualTo(MxLookup.Kind.RECORDS);
        assertThat(mx.hosts()).containsExactly(MxLookup.Host.of(10, "mx1.remote.test"),
                MxLookup.Host.of(20, "mx2.remote.test"));
        assertThat(r.addresses("mx1.remote.test")).extracting(InetAddress::getHostAddress)
                .containsExactly("127.0.0.1", "0:0:0:0:0:0:0:1");
        assertThat(r.mx("nullmx.test").kind()).isEqualTo(MxLookup.Kind.NULL_MX);
    }

    /**
     * The dnsjava trap: "no record of this type" is an empty answer the first time and a NoSuchRRSetException once
     * the negative answer is cached. Both must mean "no MX" (use the A record), never a failure.
     */
    @Test
    void noMxIsTheSameAnswerFromTheNetworkAndFromTheCache() throws Exception {
        ZoneResolver zone = zone();
        DnsRelayResolver r = DnsRelayResolver.using(zone, Duration.ofSeconds(2));
        assertThat(r.mx("nomx.test").kind()).isEqualTo(MxLookup.Kind.NO_RECORDS);
        int asked = zone.queries.get();
        assertThat(r.mx("nomx.test").kind()).isEqualTo(MxLookup.Kind.NO_RECORDS);
        assertThat(zone.queries.get()).as("the second answer came from the cache").isEqualTo(asked);
        assertThat(r.addresses("nomx.test")).extracting(InetAddress::getHostAddress).containsExactly("127.0.0.3");
        assertThat(r.addresses("nomx.test")).hasSize(1); // AAAA: empty, then cached NoSuchRRSet
        assertThat(r.mx("nx.test").kind()).isEqualTo(MxLookup.Kind.NO_SUCH_DOMAIN);
        assertThat(r.mx("nx.test").kind()).isEqualTo(MxLookup.Kind.NO_SUCH_DOMAIN);
        assertThat(r.addresses("nx.test")).isEmpty();
    }

    @Test
    void serverFailureIsTemporary() throws Exception {
        ZoneResolver zone = zone();
        zone.serverFailure = true;
        DnsRelayResolver r = DnsRelayResolver.using(zone, Duration.ofSeconds(2));
        assertThatThrownBy(() -> r.mx("remote.test")).isInstanceOf(IOException.class)
                .hasMessageContaining("remote.test");
        assertThatThrownBy(() -> r.addresses("mx1.remote.test")).isInstanceOf(IOException.class);
    }

    @Test
    void eachResolverHasItsOwnCache() throws Exception {
        ZoneResolver zone = zone();
        DnsRelayResolver first = DnsRelayResolver.using(zone, Duration.ofSeconds(2));
        assertThat(first.mx("nomx.test").kind()).isEqualTo(MxLookup.Kind.NO_RECORDS);
        zone.zone.addRecord(new MXRecord(n("nomx.test."), DClass.IN, 300, 5, n("mx1.remote.test.")));
        DnsRelayResolver second = DnsRelayResolver.using(zone, Duration.ofSeconds(2));
        assertThat(second.mx("nomx.test").kind()).as("not the first resolver's cached answer")
                .isEqualTo(MxLookup.Kind.RECORDS);
        assertThat(first.mx("nomx.test").kind()).isEqualTo(MxLookup.Kind.NO_RECORDS);
    }

    static final String[] ZONE = {
            "mx-host=remote.test,mx2.remote.test,20", "mx-host=remote.test,mx1.remote.test,10",
            "host-record=mx1.remote.test,127.0.0.1", "host-record=mx2.remote.test,127.0.0.2",
            "dns-rr=nullmx.test,15,000000", // MX 0 "." (RFC 7505), written as raw RDATA
            "host-record=nomx.test,127.0.0.2"};

    @Test
    void answersFromDnsmasq() throws Exception {
        try (Dnsmasq dns = new Dnsmasq(dir, ZONE)) {
            DnsRelayResolver r = DnsRelayResolver.using(Duration.ofSeconds(2), dns.address);
            assertThat(r.mx("remote.test").hosts()).containsExactly(MxLookup.Host.of(10, "mx1.remote.test"),
                    MxLookup.Host.of(20, "mx2.remote.test"));
            assertThat(r.mx("nullmx.test").kind()).isEqualTo(MxLookup.Kind.NULL_MX);
            assertThat(r.mx("nomx.test").kind()).isEqualTo(MxLookup.Kind.NO_RECORDS);
            assertThat(r.mx("nomx.test").kind()).isEqualTo(MxLookup.Kind.NO_RECORDS); // cached
            assertThat(r.mx("nx.test").kind()).isEqualTo(MxLookup.Kind.NO_SUCH_DOMAIN);
            assertThat(r.addresses("mx2.remote.test")).extracting(InetAddress::getHostAddress)
                    .containsExactly("127.0.0.2");
        }
    }

    /** Delivery routed by dnsmasq's answers: MX, the implicit MX, and a null MX that bounces at once. */
    @Test
    void relaysWithAnswersFromDnsmasq() throws Exception {
        int port = Peers.freePort();
        dev.mailkit.core.sink.InMemorySink mx1 = new dev.mailkit.core.sink.InMemorySink();
        dev.mailkit.core.sink.InMemorySink nomx = new dev.mailkit.core.sink.InMemorySink();
        EventLog events = new EventLog();
        try (Dnsmasq dns = new Dnsmasq(dir, ZONE);
             dev.mailkit.smtp.SmtpServer a = Peers.receiver(mx1, Peers.loopback(1), port).build().start();
             dev.mailkit.smtp.SmtpServer b = Peers.receiver(nomx, Peers.loopback(2), port).build().start();
             RelayQueue q = RelayQueue.builder(dir.resolve("queue")).port(port).listener(events)
                     .resolver(DnsRelayResolver.using(Duration.ofSeconds(2), dns.address)).build().start()) {
            q.submit(dev.mailkit.core.Envelope.builder().reversePath("sender@nomx.test").recipient("x@remote.test")
                    .build(), "Subject: via MX\r\n\r\nhi\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            String nullMx = q.submit(dev.mailkit.core.Envelope.builder().reversePath("sender@nomx.test")
                    .recipient("y@nullmx.test").build(), "Subject: to a null MX\r\n\r\nhi\r\n"
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(mx1.await(1, Duration.ofSeconds(10))).isTrue();
            RelayEvent bounced = events.await(RelayEvent.Type.BOUNCED);
            assertThat(bounced.queueId()).isEqualTo(nullMx);
            assertThat(bounced.status()).contains("5.1.10");
            assertThat(bounced.remoteHost()).as("no connection was tried").isEmpty();
            assertThat(bounced.detail()).isEqualTo("Domain nullmx.test does not accept mail (null MX)");
            // the DSN goes to the sender's domain, which has no MX: its A record (127.0.0.2) gets it
            assertThat(nomx.await(1, Duration.ofSeconds(10))).isTrue();
            assertThat(nomx.messages().get(0).source().asString()).contains("Status: 5.1.10");
            assertThat(q.awaitEmpty(Duration.ofSeconds(5))).isTrue();
        }
    }
}
