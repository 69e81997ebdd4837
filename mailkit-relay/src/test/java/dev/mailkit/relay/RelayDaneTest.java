package dev.mailkit.relay;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.sink.InMemorySink;
import dev.mailkit.core.tls.TlsConfig;
import dev.mailkit.dns.DnsJavaResolver;
import dev.mailkit.dns.testing.Unbound;
import dev.mailkit.smtp.SmtpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DANE (RFC 7672) in the relay, with a real validating resolver: Unbound serving a zone signed at test time by BIND's
 * dnssec-signzone, trusted through {@code DnsJavaResolver.validating}. TLSA records of each usage the relay supports
 * are checked against a real mailkit receiver's certificate; what fails is deferred with the reason and nothing
 * reaches the receiver; records in an unsigned zone change nothing; a forged zone defers.
 */
class RelayDaneTest {
    static final TlsConfig MX_TLS = TlsConfig.selfSigned("mx.dane.test", "mxta.dane.test", "mxwrong.dane.test");

    @TempDir
    Path dir;

    static Envelope envelope(String to) {
        return Envelope.builder().reversePath("a@origin.test").recipient(to).build();
    }

    static byte[] message(String subject) {
        return ("From: a@origin.test\r\nTo: b@remote.test\r\nSubject: " + subject + "\r\n\r\nhello\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void tlsaRecordsDecideWhereMailGoesWhenTheAnswersAreAuthenticated() throws Exception {
        int port = Peers.freePort();
        String spki = sha256(MX_TLS.certificate().getPublicKey().getEncoded());
        String cert = sha256(MX_TLS.certificate().getEncoded());
        String tlsa = "._tcp.";
        String zone = String.join("\n",
                "good IN MX 10 mx.dane.test.", "mx IN A 127.0.0.1", "_" + port + tlsa + "mx IN TLSA 3 1 1 " + spki,
                "ta IN MX 10 mxta.dane.test.", "mxta IN A 127.0.0.1", "_" + port + tlsa + "mxta IN TLSA 2 0 1 " + cert,
                "wrong IN MX 10 mxwrong.dane.test.", "mxwrong IN A 127.0.0.1",
                "_" + port + tlsa + "mxwrong IN TLSA 3 1 1 " + "00".repeat(32),
                "taname IN MX 10 mxtaname.dane.test.", "mxtaname IN A 127.0.0.1",
                "_" + port + tlsa + "mxtaname IN TLSA 2 0 1 " + cert,
                "notls IN MX 10 mxnotls.dane.test.", "mxnotls IN A 127.0.0.2",
                "_" + port + tlsa + "mxnotls IN TLSA 3 1 1 " + spki,
                "unusable IN MX 10 mxunusable.dane.test.", "mxunusable IN A 127.0.0.1",
                "_" + port + tlsa + "mxunusable IN TLSA 1 1 1 " + spki);
        String plain = "@ IN MX 10 mx.plain.test.\nmx IN A 127.0.0.1\n_" + port + tlsa + "mx IN TLSA 3 1 1 "
                + "00".repeat(32);
        InMemorySink remote = new InMemorySink();
        InMemorySink cleartext = new InMemorySink();
        EventLog events = new EventLog();
        try (Unbound unbound = new Unbound(Files.createDirectories(dir.resolve("dns")), Map.of("dane.test", zone),
                Map.of("plain.test", plain), Map.of("forged.test", "@ IN MX 10 mx.forged.test.\nmx IN A 127.0.0.1"));
             SmtpServer mx = Peers.receiver(remote, Peers.loopback(1), port).tls(MX_TLS).build().start();
             SmtpServer noTls = Peers.receiver(cleartext, Peers.loopback(2), port).build().start();
             RelayQueue q = RelayQueue.builder(dir.resolve("queue")).mxPort(port).dane(true).onEvent(events)
                     .resolver(DnsJavaResolver.validating(Duration.ofSeconds(5), unbound.address)).build().start()) {
            for (String d : List.of("good", "ta", "wrong", "taname", "notls", "unusable")) {
                q.submit(envelope("x@" + d + ".dane.test"), message(d));
            }
            q.submit(envelope("x@plain.test"), message("plain"));
            q.submit(envelope("x@forged.test"), message("forged"));

            List<RelayEvent> delivered = events.await(RelayEvent.Type.DELIVERED, 4);
            List<RelayEvent> deferred = events.await(RelayEvent.Type.DEFERRED, 4);
            RelayEvent good = only(delivered, "x@good.dane.test");
            assertThat(good.tlsPolicy()).hasValueSatisfying(p -> {
                assertThat(p.source()).isEqualTo(TlsPolicyResult.Source.DANE);
                assertThat(p.satisfied()).isTrue();
                assertThat(p.detail()).contains("matched TLSA 3 1 1").contains("DANE-EE");
            });
            assertThat(good.toString()).contains("tls-policy=dane/enforce=ok");
            assertThat(only(delivered, "x@ta.dane.test").tlsPolicy().orElseThrow().detail())
                    .contains("matched TLSA 2 0 1").contains("DANE-TA").contains("names mxta.dane.test");
            assertThat(only(delivered, "x@unusable.dane.test").tlsPolicy().orElseThrow().detail())
                    .contains("no usable TLSA record");
            RelayEvent insecure = only(delivered, "x@plain.test");
            assertThat(insecure.tlsPolicy()).as("TLSA records of an unsigned zone are not used").isEmpty();

            RelayEvent wrong = only(deferred, "x@wrong.dane.test");
            assertThat(wrong.status()).contains("4.7.5");
            assertThat(wrong.detail()).contains("DANE").contains("no TLSA record of _" + port + "._tcp.mxwrong.dane.test"
                    + " matches");
            assertThat(wrong.tlsPolicy().orElseThrow().satisfied()).isFalse();
            assertThat(wrong.toString()).contains("tls-policy=dane/enforce=failed");
            assertThat(only(deferred, "x@taname.dane.test").detail()).contains("does not name mxtaname.dane.test");
            RelayEvent notls = only(deferred, "x@notls.dane.test");
            assertThat(notls.status()).contains("4.7.4");
            assertThat(notls.detail()).contains("TLS is required, but was not offered");
            RelayEvent forged = only(deferred, "x@forged.test");
            assertThat(forged.status()).contains("4.4.3");
            assertThat(forged.detail()).contains("SERVFAIL");

            assertThat(remote.messages()).extracting(m -> m.envelope().recipients().get(0).toString())
                    .containsExactlyInAnyOrder("x@good.dane.test", "x@ta.dane.test", "x@unusable.dane.test",
                            "x@plain.test");
            assertThat(remote.messages()).allSatisfy(m -> assertThat(m.envelope().tls()).isPresent());
            assertThat(cleartext.count()).as("nothing sent in plaintext to a host with TLSA records").isZero();
            // a delivered message leaves the queue just after its event: wait for it
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (q.size() != 4 && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
            }
            assertThat(q.list()).extracting(e -> e.pendingRecipients().get(0).toString()).containsExactlyInAnyOrder(
                    "x@wrong.dane.test", "x@taname.dane.test", "x@notls.dane.test", "x@forged.test");
        }
    }

    private static RelayEvent only(List<RelayEvent> events, String rcpt) {
        List<RelayEvent> m = events.stream().filter(e -> e.recipients().toString().contains(rcpt)).toList();
        assertThat(m).as("events for " + rcpt + " in " + events).hasSize(1);
        return m.get(0);
    }
}
