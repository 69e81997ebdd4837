package dev.mailkit.smtp;

import dev.mailkit.core.server.AuthFailurePenalty;
import dev.mailkit.core.sink.InMemorySink;
import dev.mailkit.core.sink.ReceivedMessage;
import dev.mailkit.core.tls.TlsConfig;
import org.apache.commons.net.smtp.AuthenticatingSMTPClient;
import org.apache.commons.net.smtp.SMTPReply;
import org.junit.jupiter.api.Test;

import java.io.Writer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Apache Commons Net's SMTP client, a third independent client: STARTTLS (execTLS), AUTH PLAIN and a scripted
 * transaction; and the trap from the dependency notes: its {@code sendMessageData()} writer does not dot-stuff the
 * first line, so a message starting with "." loses that dot on any RFC 5321 server, mailkit included. (mailkit's relay
 * therefore never uses Commons Net to send.)
 */
class CommonsNetClientTest {
    @Test
    void startTlsAuthAndAMessage() throws Exception {
        TlsConfig tls = TlsConfig.selfSigned();
        InMemorySink sink = new InMemorySink();
        try (SmtpServer s = SmtpServer.builder().localDomains("local.test").submission(0).users(SmtpTesting.users())
                .tls(tls).sink(sink).authFailurePenalty(AuthFailurePenalty.none()).build().start()) {
            AuthenticatingSMTPClient c = new AuthenticatingSMTPClient("TLS", false);
            c.setDefaultTimeout(5000);
            c.connect("127.0.0.1", s.port());
            try {
                assertThat(c.getReplyCode()).isEqualTo(220);
                c.ehlo("client.test");
                c.setTrustManager(trustManager(tls));
                assertThat(c.execTLS()).isTrue();
                c.ehlo("client.test");
                assertThat(c.auth(AuthenticatingSMTPClient.AUTH_METHOD.PLAIN, "alice@local.test", "alice-secret"))
                        .isTrue();
                assertThat(c.setSender("alice@local.test")).isTrue();
                assertThat(c.addRecipient("bob@local.test")).isTrue();
                try (Writer w = c.sendMessageData()) {
                    w.write("Subject: commons-net\r\n\r\nbody line\r\n.a later line starts with a dot\r\n");
                }
                assertThat(c.completePendingCommand()).as(c.getReplyString()).isTrue();
                assertThat(SMTPReply.isPositiveCompletion(c.getReplyCode())).isTrue();
                c.logout();
            } finally {
                c.disconnect();
            }
        }
        ReceivedMessage m = SmtpTesting.await(sink, 1).get(0);
        assertThat(m.envelope().authenticatedUser()).contains("alice@local.test");
        assertThat(m.envelope().tls()).isPresent();
        assertThat(m.source().asString()).endsWith("Subject: commons-net\r\n\r\nbody line\r\n.a later line starts with a dot\r\n");
    }

    /** Trap: Commons Net 3.13 does not stuff a leading dot on the FIRST line; the receiver rightly removes it. */
    @Test
    void commonsNetLosesTheDotOfAFirstLineThatStartsWithOne() throws Exception {
        InMemorySink sink = new InMemorySink();
        try (SmtpServer s = SmtpServer.builder().localDomains("local.test").sink(sink).build().start()) {
            AuthenticatingSMTPClient c = new AuthenticatingSMTPClient();
            c.setDefaultTimeout(5000);
            c.connect("127.0.0.1", s.port());
            try {
                c.ehlo("client.test");
                c.setSender("a@remote.test");
                c.addRecipient("x@local.test");
                try (Writer w = c.sendMessageData()) {
                    w.write(".first line starts with a dot\r\n\r\nbody\r\n");
                }
                assertThat(c.completePendingCommand()).isTrue();
            } finally {
                c.disconnect();
            }
        }
        String text = SmtpTesting.await(sink, 1).get(0).source().asString();
        assertThat(text).contains("\r\nfirst line starts with a dot\r\n").doesNotContain(".first line");
    }

    private static javax.net.ssl.TrustManager trustManager(TlsConfig tls) throws Exception {
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(tls.trustStore());
        return tmf.getTrustManagers()[0];
    }
}
