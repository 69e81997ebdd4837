package dev.mailkit.smtp;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.filter.FilterVerdict;
import dev.mailkit.core.filter.MailFilter;
import dev.mailkit.core.filter.SessionInfo;
import dev.mailkit.core.sink.InMemorySink;
import dev.mailkit.core.tls.TlsConfig;
import dev.mailkit.testsupport.RawClient;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Regression tests for the SubEthaSMTP 7.2.2 traps listed in the shared dependency notes that the other test
 * classes do not already name: each test says which trap it guards against. (Smuggling, first-line dot-stuffing,
 * oversize as 421, STARTTLS/AUTH state, AUTH before TLS, unchecked BDAT and SIZE with maxMessageSize 0 are covered by
 * SmtpSecurityTest and SmtpProtocolTest.)
 */
class SubethaSmtpTrapsTest {
    /** Trap: without hostName SubEthaSMTP does a DNS lookup at build time; without softwareName it greets "null". */
    @Test
    void defaultGreetingNeedsNoDnsAndNamesMailkit() throws Exception {
        try (SmtpServer s = SmtpServer.builder().sink(new InMemorySink()).build().start();
             RawClient c = new RawClient(s.port())) {
            assertThat(c.readReply()).isEqualTo("220 localhost ESMTP mailkit");
        }
    }

    /** Trap: stop() waits forever for a stuck handler. A sink that never returns must not stop close(). */
    @Test
    void closeDoesNotWaitForAStuckSink() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        SmtpServer s = SmtpServer.builder().localDomains("local.test").sink((e, m) -> {
            entered.countDown();
            try {
                never.await();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted by close()", ex);
            }
            throw new IllegalStateException("unreachable");
        }).build().start();
        try (RawClient c = new RawClient(s.port())) {
            c.readReply();
            c.command("EHLO c.test");
            c.command("MAIL FROM:<a@b.test>");
            c.command("RCPT TO:<x@local.test>");
            c.command("DATA");
            c.send("Subject: stuck\r\n\r\nx\r\n.\r\n");
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            long t0 = System.nanoTime();
            s.close();
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(1500);
        }
    }

    /**
     * Trap: rejecting in data() before reading to the end makes SubEthaSMTP parse the rest of the body as commands.
     * A DATA filter that rejects must see a fully read body, and the body's lines must not run.
     */
    @Test
    void aDataRejectionNeverRunsTheBodyAsCommands() throws Exception {
        MailFilter rejectAll = new MailFilter() {
            @Override
            public FilterVerdict onData(SessionInfo s, Envelope e, MessageSource m) {
                return FilterVerdict.reject(554, "5.7.1", "Content rejected");
            }
        };
        InMemorySink sink = new InMemorySink();
        try (SmtpServer s = SmtpServer.builder().localDomains("local.test").sink(sink).filters(rejectAll).build().start();
             RawClient c = new RawClient(s.port())) {
            c.readReply();
            c.command("EHLO c.test");
            c.command("MAIL FROM:<a@b.test>");
            c.command("RCPT TO:<x@local.test>");
            c.command("DATA");
            c.send("Subject: x\r\n\r\nMAIL FROM:<inner@evil.test>\r\nRCPT TO:<x@local.test>\r\n.\r\nNOOP\r\n");
            assertThat(c.readReply()).isEqualTo("554 5.7.1 Content rejected");
            assertThat(c.readReply()).isEqualTo("250 2.0.0 OK");
        }
        assertThat(sink.count()).isZero();
    }

    /** Trap: startTlsSocketFactory(SSLContext) enables every protocol; mailkit's STARTTLS allows TLS 1.2 and 1.3 only. */
    @Test
    void startTlsRefusesOldProtocols() throws Exception {
        TlsConfig tls = TlsConfig.selfSigned();
        try (SmtpServer s = SmtpServer.builder().localDomains("local.test").sink(new InMemorySink()).tls(tls)
                .build().start(); RawClient c = new RawClient(s.port())) {
            c.readReply();
            c.command("EHLO c.test");
            assertThat(c.command("STARTTLS")).startsWith("220");
            Socket plain = c.socket();
            SSLSocket ssl = (SSLSocket) tls.clientSslContext().getSocketFactory().createSocket(plain, "localhost",
                    plain.getPort(), true);
            SSLParameters p = ssl.getSSLParameters();
            p.setProtocols(new String[] {"TLSv1.1"});
            ssl.setSSLParameters(p);
            assertThatThrownBy(ssl::startHandshake).isInstanceOf(IOException.class);
        }
    }

    /** A plain TCP connect without a word from the client is answered and then timed out, never held forever. */
    @Test
    void silentClientsGetTheGreetingAndATimeout() throws Exception {
        try (SmtpServer s = SmtpServer.builder().sink(new InMemorySink()).idleTimeout(java.time.Duration.ofMillis(200))
                .build().start(); Socket sock = new Socket()) {
            sock.connect(new InetSocketAddress("127.0.0.1", s.port()), 5000);
            sock.setSoTimeout(5000);
            String all = new String(sock.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
            assertThat(all).startsWith("220 ").contains("421 4.4.2 Timeout");
        }
    }
}
