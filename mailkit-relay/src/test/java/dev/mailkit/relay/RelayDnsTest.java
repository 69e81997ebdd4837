package dev.mailkit.relay;

import dev.mailkit.dns.DnsJavaResolver;
import dev.mailkit.dns.testing.Dnsmasq;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Routing by a real DNS server's answers (dnsmasq): MX records, the implicit MX, and a null MX. */
class RelayDnsTest {
    static final String[] ZONE = {
            "mx-host=remote.test,mx2.remote.test,20", "mx-host=remote.test,mx1.remote.test,10",
            "host-record=mx1.remote.test,127.0.0.1", "host-record=mx2.remote.test,127.0.0.2",
            "dns-rr=nullmx.test,15,000000", // MX 0 "." (RFC 7505), written as raw RDATA
            "host-record=nomx.test,127.0.0.2"};

    @TempDir
    Path dir;

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
             RelayQueue q = RelayQueue.builder(dir.resolve("queue")).mxPort(port).onEvent(events)
                     .resolver(DnsJavaResolver.using(Duration.ofSeconds(2), dns.address)).build().start()) {
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
