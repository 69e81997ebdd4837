package dev.mailkit.relay;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.mailkit.core.Envelope;
import dev.mailkit.core.sink.InMemorySink;
import dev.mailkit.core.tls.TlsConfig;
import dev.mailkit.dns.DnsJavaResolver;
import dev.mailkit.dns.testing.Dnsmasq;
import dev.mailkit.smtp.SmtpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MTA-STS (RFC 8461) in the relay, with real peers: the policies come from the JDK's HTTPS server on loopback (with a
 * certificate for each {@code mta-sts.DOMAIN}), the {@code _mta-sts} TXT, MX and address records from dnsmasq, and
 * the mail goes to a real mailkit receiver with a test certificate. Enforce mode refuses an MX the policy does not
 * name and a certificate that does not name the MX, with nothing delivered; testing mode delivers and reports; a
 * policy is fetched once per id and survives a restart of the relay, even when the policy server is gone.
 */
class RelayMtaStsTest {
    /** The receiver's and the policy server's certificate: the names MX and policy hosts are reached by. */
    static final TlsConfig TLS = TlsConfig.selfSigned("mx.enforce.test", "mx.rogue.test", "mta-sts.enforce.test",
            "mta-sts.rogue.test", "mta-sts.badcert.test", "mta-sts.testing.test", "mta-sts.broken.test",
            "mta-sts.huge.test");

    static final Map<String, String> POLICIES = Map.of(
            "enforce.test", "version: STSv1\r\nmode: enforce\r\nmx: mx.enforce.test\r\nmax_age: 86400\r\n",
            "rogue.test", "version: STSv1\nmode: enforce\nmx: mx.rogue.test\nmax_age: 86400\n",
            "badcert.test", "version: STSv1\nmode: enforce\nmx: *.badcert.test\nmax_age: 86400\n",
            "testing.test", "version: STSv1\nmode: testing\nmx: mx.testing.test\nmax_age: 86400\n",
            "broken.test", "mode: enforce\nmx: mx.broken.test\nmax_age: 86400\n", // no version: not a policy
            // a valid policy (which would defer: the certificate does not name mx.huge.test) in a 1 MiB answer
            "huge.test", "version: STSv1\nmode: enforce\nmx: mx.huge.test\nmax_age: 86400\n"
                    + ("x-padding: " + "x".repeat(1000) + "\n").repeat(1024));

    @TempDir
    Path dir;

    static Envelope envelope(String to) {
        return Envelope.builder().reversePath("a@origin.test").recipient(to).build();
    }

    static byte[] message(String subject) {
        return ("From: a@origin.test\r\nTo: b@remote.test\r\nSubject: " + subject + "\r\n\r\nhello\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void policiesDecideWhereMailGoesAndAreKeptAcrossARestart() throws Exception {
        int port = Peers.freePort();
        Map<String, AtomicInteger> fetches = new ConcurrentHashMap<>();
        HttpsServer https = HttpsServer.create(new InetSocketAddress(Peers.loopback(1), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(TLS.serverSslContext()));
        https.createContext("/.well-known/mta-sts.txt", x -> {
            String host = x.getRequestHeaders().getFirst("Host").replaceFirst(":.*", "");
            String domain = host.substring("mta-sts.".length());
            fetches.computeIfAbsent(domain, d -> new AtomicInteger()).incrementAndGet();
            byte[] body = POLICIES.getOrDefault(domain, "").getBytes(StandardCharsets.US_ASCII);
            x.getResponseHeaders().add("Content-Type", "text/plain");
            x.sendResponseHeaders(body.length == 0 ? 404 : 200, body.length == 0 ? -1 : body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        https.start();
        // host-record, not address=/.../: dnsmasq answers AAAA for an address=/ name with NXDOMAIN
        List<String> records = new java.util.ArrayList<>();
        for (String d : POLICIES.keySet()) {
            records.add("txt-record=_mta-sts." + d + ",\"v=STSv1; id=20260101\"");
            records.add("host-record=mta-sts." + d + ",127.0.0.1");
            records.add("mx-host=" + d + ",mx." + d + ",10");
            records.add("host-record=mx." + d + ",127.0.0.1");
        }
        // the attack MTA-STS stops: rogue.test's MX record points elsewhere than its policy says
        records.remove("mx-host=rogue.test,mx.rogue.test,10");
        records.add("mx-host=rogue.test,evil.rogue.test,10");
        records.add("host-record=evil.rogue.test,127.0.0.1");
        InMemorySink remote = new InMemorySink();
        EventLog events = new EventLog();
        try (Dnsmasq dns = new Dnsmasq(Files.createDirectories(dir.resolve("dns")), records.toArray(new String[0]));
             SmtpServer mx = Peers.receiver(remote, Peers.loopback(1), port).tls(TLS).build().start()) {
            DnsJavaResolver resolver = DnsJavaResolver.using(Duration.ofSeconds(5), dns.address);
            try (RelayQueue q = relay(port, resolver, https, events)) {
                for (String d : POLICIES.keySet()) {
                    q.submit(envelope("x@" + d), message(d));
                }
                List<RelayEvent> delivered = events.await(RelayEvent.Type.DELIVERED, 4);
                List<RelayEvent> deferred = events.await(RelayEvent.Type.DEFERRED, 2);

                RelayEvent enforced = only(delivered, "x@enforce.test");
                TlsPolicyResult p = enforced.tlsPolicy().orElseThrow();
                assertThat(p.source()).isEqualTo(TlsPolicyResult.Source.MTA_STS);
                assertThat(p.mode()).isEqualTo(TlsPolicyResult.Mode.ENFORCE);
                assertThat(p.satisfied()).isTrue();
                assertThat(p.detail()).contains("MX host mx.enforce.test matches [mx.enforce.test]")
                        .contains("certificate verified");
                assertThat(enforced.toString()).contains("tls-policy=mta-sts/enforce=ok");

                RelayEvent rogue = only(deferred, "x@rogue.test");
                assertThat(rogue.status()).contains("4.7.5");
                assertThat(rogue.detail()).contains("MTA-STS policy of rogue.test (enforce): MX host evil.rogue.test "
                        + "is not in [mx.rogue.test]");
                assertThat(rogue.tlsPolicy().orElseThrow().satisfied()).isFalse();
                RelayEvent badcert = only(deferred, "x@badcert.test");
                assertThat(badcert.status()).contains("4.7.5");
                assertThat(badcert.detail()).contains("MTA-STS failed: server certificate not verified")
                        .contains("mx.badcert.test");
                assertThat(badcert.toString()).contains("tls-policy=mta-sts/enforce=failed");

                RelayEvent testing = only(delivered, "x@testing.test");
                assertThat(testing.tlsPolicy()).hasValueSatisfying(t -> {
                    assertThat(t.mode()).isEqualTo(TlsPolicyResult.Mode.TESTING);
                    assertThat(t.satisfied()).isFalse();
                    assertThat(t.detail()).contains("certificate not verified");
                });
                assertThat(only(delivered, "x@broken.test").tlsPolicy()).as("an invalid policy is no policy")
                        .isEmpty();
                assertThat(only(delivered, "x@huge.test").tlsPolicy()).as("an answer over 64 KiB is no policy")
                        .isEmpty();
                assertThat(remote.messages()).extracting(m -> m.envelope().recipients().get(0).toString())
                        .containsExactlyInAnyOrder("x@enforce.test", "x@testing.test", "x@broken.test", "x@huge.test");

                // the same id: the cached policy is used, not fetched again
                q.submit(envelope("y@enforce.test"), message("again"));
                events.await(e -> e.type() == RelayEvent.Type.DELIVERED
                        && e.recipients().toString().contains("y@enforce.test"), 1, Duration.ofSeconds(30));
                assertThat(fetches.get("enforce.test").get()).isEqualTo(1);
            }
            assertThat(Files.readString(dir.resolve("queue/mta-sts/rogue.test.policy"))).contains("mx: mx.rogue.test");
            https.stop(0);
            // restarted, with the policy server gone: rogue.test's policy still holds, from the disk
            EventLog after = new EventLog();
            try (RelayQueue q = relay(port, resolver, https, after)) {
                assertThat(q.flush()).isGreaterThanOrEqualTo(1);
                RelayEvent again = after.await(e -> e.type() == RelayEvent.Type.DEFERRED
                        && e.recipients().toString().contains("x@rogue.test"), 1, Duration.ofSeconds(30)).get(0);
                assertThat(again.detail()).contains("is not in [mx.rogue.test]");
                assertThat(remote.messages()).noneMatch(m -> m.envelope().recipients().toString().contains("rogue"));
            }
        } finally {
            https.stop(0);
        }
    }

    private RelayQueue relay(int port, DnsJavaResolver dns, HttpsServer https, EventLog events) {
        return RelayQueue.builder(dir.resolve("queue")).mxPort(port).resolver(dns).mtaSts(true)
                .mtaStsPort(https.getAddress().getPort()).trust(TLS.clientSslContext()).onEvent(events).build()
                .start();
    }

    private static RelayEvent only(List<RelayEvent> events, String rcpt) {
        List<RelayEvent> m = events.stream().filter(e -> e.recipients().toString().contains(rcpt)).toList();
        assertThat(m).as("events for " + rcpt + " in " + events).hasSize(1);
        return m.get(0);
    }
}
