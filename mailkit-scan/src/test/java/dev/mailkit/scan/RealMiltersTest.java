package dev.mailkit.scan;

import dev.mailkit.core.MessageSource;
import dev.mailkit.core.sink.InMemorySink;
import dev.mailkit.core.sink.ReceivedMessage;
import dev.mailkit.scan.daemons.ClamavMilter;
import dev.mailkit.scan.daemons.RealDaemons;
import dev.mailkit.scan.daemons.Rspamd;
import dev.mailkit.smtp.SmtpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * mailkit as the MTA side of real milters, behind the real SMTP receiver: clamav-milter (refuses EICAR with its own
 * reply, adds its headers to clean mail), OpenDKIM (one signs, a second one verifies the signature the first one
 * made: header insertion and the body hashed as sent), and Rspamd's proxy worker in milter mode.
 */
@ExtendWith(RealDaemons.class)
class RealMiltersTest {
    static SmtpServer server(InMemorySink sink, ScanFilter filter) {
        return SmtpServer.builder().localDomains("local.test").hostName("mx.local.test").sink(sink).filters(filter)
                .build().start();
    }

    @Test
    void clamavMilterRefusesEicarAndTagsCleanMail(ClamavMilter milter) throws Exception {
        InMemorySink sink = new InMemorySink();
        ScanFilter filter = ScanFilter.builder().hostName("mx.local.test")
                .milter(MilterClient.builder(milter.address()).name("clamav-milter").build()).build();
        try (SmtpServer smtp = server(sink, filter)) {
            String refused = Smtp.send(smtp.port(), "sender@example.test", List.of("rcpt@local.test"),
                    Messages.eicar());
            assertThat(refused).startsWith("550").contains("Virus found: Mailkit.Test.EICAR");
            assertThat(Smtp.send(smtp.port(), "sender@example.test", List.of("rcpt@local.test"), Messages.clean()))
                    .startsWith("250");
            ReceivedMessage m = sink.poll(Duration.ofSeconds(10)).orElseThrow();
            assertThat(m.source().headers().getHeader("X-Virus-Status")).containsExactly("Clean");
            assertThat(m.source().headers().getHeader("X-Virus-Scanned", null)).contains("clamav-milter");
            assertThat(m.source().headers().getHeader("X-Scan-Results", null))
                    .isEqualTo("mx.local.test; clamav-milter=clean");
            assertThat(sink.messages()).hasSize(1);
        }
        assertThat(filter.milterSessions()).as("milter state of ended sessions").isZero();
    }

    @Test
    void oneOpenDkimSignsAndAnotherVerifiesTheSignature(RealDaemons.OpenDkimPair dkim) throws Exception {
        InMemorySink signed = new InMemorySink();
        InMemorySink verified = new InMemorySink();
        try (SmtpServer signer = server(signed, ScanFilter.builder().hostName("mx.local.test")
                .milter(MilterClient.builder(dkim.signer().address()).name("opendkim").build()).build());
             SmtpServer verifier = server(verified, ScanFilter.builder().hostName("mx.local.test")
                     .milter(MilterClient.builder(dkim.verifier().address()).name("opendkim").build()).build())) {
            MessageSource message = MessageSource.ofText("From: Ann <ann@example.test>\r\nTo: rcpt@local.test\r\n"
                    + "Subject: signed by OpenDKIM\r\nDate: Mon, 7 Dec 2026 10:00:00 +0000\r\n"
                    + "Message-ID: <dkim-1@example.test>\r\n\r\nHello,\r\n\r\n..dot-stuffed line and trailing space \r\n"
                    + "-- \r\nAnn\r\n");
            assertThat(Smtp.send(signer.port(), "ann@example.test", List.of("rcpt@local.test"), message))
                    .startsWith("250");
            ReceivedMessage s = signed.poll(Duration.ofSeconds(10)).orElseThrow();
            String signature = s.source().headers().getHeader("DKIM-Signature", null);
            assertThat(signature).contains("d=example.test").contains("s=s1");
            assertThat(Smtp.send(verifier.port(), "ann@example.test", List.of("rcpt@local.test"), s.source()))
                    .startsWith("250");
            ReceivedMessage v = verified.poll(Duration.ofSeconds(10)).orElseThrow();
            assertThat(v.source().headers().getHeader("Authentication-Results", null))
                    .startsWith("verifier.test;").contains("dkim=pass");
        }
    }

    @Test
    void rspamdsProxyInMilterModeRefusesGtubeAndPassesCleanMail(Rspamd rspamd) throws Exception {
        InMemorySink sink = new InMemorySink();
        ScanFilter filter = ScanFilter.builder().hostName("mx.local.test")
                .milter(MilterClient.builder(rspamd.milterAddress()).name("rspamd-milter").build()).build();
        try (SmtpServer smtp = server(sink, filter)) {
            assertThat(Smtp.send(smtp.port(), "sender@example.test", List.of("rcpt@local.test"), Messages.gtube()))
                    .startsWith("5");
            assertThat(Smtp.send(smtp.port(), "sender@example.test", List.of("rcpt@local.test"),
                    Messages.text("please tag-me", "hello"))).startsWith("250");
            ReceivedMessage m = sink.poll(Duration.ofSeconds(10)).orElseThrow();
            assertThat(m.source().headers().getHeader("X-Spamd-Bar", null)).isNotNull();
            assertThat(sink.messages()).hasSize(1);
        }
    }
}
