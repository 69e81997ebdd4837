package dev.mailkit.web;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.auth.InMemoryUserDirectory;
import dev.mailkit.core.server.AuthFailurePenalty;
import dev.mailkit.core.sink.InMemorySink;
import dev.mailkit.core.sink.ReceivedMessage;
import dev.mailkit.core.tls.TlsConfig;
import dev.mailkit.smtp.SmtpServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SMTP senders send the message's bytes unchanged, with the envelope given, over STARTTLS and AUTH. */
class MailSenderTest {
    private static final String MESSAGE = "From: a@example.org\r\nTo: b@example.test\r\nSubject: as is\r\n"
            + "X-Order: 2\r\nX-Order: 1\r\n\r\n.leading dot\r\nbody\r\n";

    @Test
    void startTlsWithAuthSendsTheBytesAsTheyAre() throws Exception {
        TlsConfig tls = TlsConfig.selfSigned();
        InMemorySink sink = new InMemorySink();
        InMemoryUserDirectory users = InMemoryUserDirectory.builder().passwordHashIterations(1)
                .user("relay@example.test", "pw").build();
        try (SmtpServer smtp = SmtpServer.builder().submission(0).tls(tls).users(users).acceptAllDomains()
                .authFailurePenalty(AuthFailurePenalty.none()).sink(sink).build().start()) {
            MailSender sender = MailSender.smtpStartTls("localhost", smtp.port(), tls.clientSslContext(),
                    "relay@example.test", "pw");
            Envelope env = Envelope.builder().reversePath("bounces@example.org").recipient("b@example.test")
                    .recipient("hidden@example.test").build();
            assertThat(sender.send(env, MessageSource.ofText(MESSAGE))).startsWith("250");
            ReceivedMessage m = sink.poll(Duration.ofSeconds(10)).orElseThrow();
            assertThat(m.envelope().reversePathString()).isEqualTo("<bounces@example.org>");
            assertThat(m.envelope().recipients()).extracting(Object::toString)
                    .containsExactly("b@example.test", "hidden@example.test");
            assertThat(m.envelope().tls()).isPresent();
            assertThat(m.envelope().authenticatedUser()).contains("relay@example.test");
            String got = m.source().asString();
            assertThat(got.substring(got.indexOf("From: "))).isEqualTo(MESSAGE);
            assertThatThrownBy(() -> MailSender.smtpStartTls("localhost", smtp.port(), tls.clientSslContext(),
                    "relay@example.test", "wrong").send(env, MessageSource.ofText(MESSAGE)))
                    .isInstanceOf(IOException.class);
        }
    }
}
