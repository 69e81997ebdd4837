package dev.mailkit.relay;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.sink.InMemorySink;
import dev.mailkit.dns.StaticDnsResolver;
import dev.mailkit.mailauth.dkim.DkimResult;
import dev.mailkit.mailauth.dkim.DkimSigner;
import dev.mailkit.mailauth.dkim.DkimVerifier;
import dev.mailkit.smtp.SmtpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Signing through core's signer SPI: the relay signs mail from its signers' domains when it is queued, and the
 * signature verifies at the next hop (with mailkit's own verifier, the key published in an in-memory zone).
 */
class RelayDkimTest {
    static final String MESSAGE = "From: Sender <sender@origin.test>\r\nTo: rcpt@remote.test\r\nSubject: signed\r\n"
            + "Date: Mon, 7 Dec 2026 10:00:00 +0000\r\nMessage-ID: <1@origin.test>\r\n\r\nHello,\r\nsigned body.\r\n";

    @TempDir
    Path dir;

    @Test
    void theRelaySignsMailFromItsDomainsAndTheSignatureVerifiesAtTheRemoteEnd() throws Exception {
        KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        DkimSigner signer = DkimSigner.builder("origin.test", "relay", kp.getPrivate()).build();
        int port = Peers.freePort();
        InMemorySink remote = new InMemorySink();
        try (SmtpServer mx = Peers.receiver(remote, Peers.loopback(1), port).build().start();
             RelayQueue q = RelayQueue.builder(dir.resolve("queue")).mxPort(port).signers(signer)
                     .resolver(StaticDnsResolver.builder().mx("remote.test", 10, "mx.remote.test")
                             .address("mx.remote.test", "127.0.0.1").build()).build().start()) {
            Envelope env = Envelope.builder().reversePath("bounce@origin.test").recipient("rcpt@remote.test").build();
            // a subdomain of the signing domain, and bare LF line ends that the relay turns into CRLF
            q.submit(env, MESSAGE.replace("sender@origin.test", "news@lists.origin.test").replace("\r\n", "\n")
                    .getBytes(StandardCharsets.UTF_8));
            q.submit(env, MESSAGE.replace("sender@origin.test", "someone@elsewhere.test")
                    .getBytes(StandardCharsets.UTF_8));
            assertThat(remote.await(2, Duration.ofSeconds(10))).isTrue();
        }
        DkimVerifier verifier = DkimVerifier.builder().resolver(StaticDnsResolver.builder()
                .txt(signer.dnsName(), signer.dnsRecord().orElseThrow()).build()).build();
        List<String> signed = new ArrayList<>();
        List<String> unsigned = new ArrayList<>();
        for (var m : remote.messages()) {
            String text = m.source().asString();
            assertThat(text).as("the next hop added its Received: above the signature").startsWith("Received: ");
            List<DkimResult> results = verifier.verify(MessageSource.of(m.source().toByteArray()));
            if (text.contains("DKIM-Signature:")) {
                assertThat(results).hasSize(1);
                assertThat(results.get(0).isPass()).as(results.get(0).toString()).isTrue();
                assertThat(results.get(0).domain()).isEqualTo("origin.test");
                signed.add(text);
            } else {
                assertThat(results).isEmpty();
                unsigned.add(text);
            }
        }
        assertThat(signed).hasSize(1).allMatch(t -> t.contains("news@lists.origin.test"));
        assertThat(unsigned).as("no signer for elsewhere.test").hasSize(1);
    }
}
