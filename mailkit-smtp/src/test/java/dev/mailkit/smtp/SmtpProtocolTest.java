package dev.mailkit.smtp;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MailAddress;
import dev.mailkit.core.sink.InMemorySink;
import dev.mailkit.core.sink.ReceivedMessage;
import dev.mailkit.testsupport.RawClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The SMTP dialogue over a real socket, byte for byte. */
class SmtpProtocolTest {
    InMemorySink sink;
    SmtpServer server;
    RawClient c;

    @BeforeEach
    void start() throws Exception {
        sink = new InMemorySink();
        server = SmtpTesting.mx(sink).hostName("mx.local.test").maxRecipients(3).maxMessageSize(10_000)
                .build().start();
        c = new RawClient(server.port());
        assertThat(c.readReply()).isEqualTo("220 mx.local.test ESMTP mailkit");
    }

    @AfterEach
    void stop() throws Exception {
        c.close();
        server.close();
    }

    @Test
    void ehloAdvertisesWhatWorksAndNoAuthOnMx() throws Exception {
        assertThat(c.command("EHLO client.test")).isEqualTo(String.join("\n",
                "250-mx.local.test Hello client.test",
                "250-PIPELINING",
                "250-SIZE 10000",
                "250-8BITMIME",
                "250-SMTPUTF8",
                "250-ENHANCEDSTATUSCODES",
                "250 CHUNKING"));
        assertThat(c.command("HELO client.test")).isEqualTo("250 mx.local.test Hello client.test");
    }

    @Test
    void aWholeTransaction() throws Exception {
        c.command("EHLO client.test");
        assertThat(c.command("MAIL FROM:<sender@remote.test> BODY=8BITMIME SIZE=100"))
                .isEqualTo("250 2.1.0 Sender <sender@remote.test> OK");
        assertThat(c.command("RCPT TO:<alice@local.test>")).isEqualTo("250 2.1.5 Recipient <alice@local.test> OK");
        assertThat(c.command("RCPT TO:<Bob@LOCAL.test>")).startsWith("250 2.1.5");
        assertThat(c.command("RCPT TO:<alice@local.test>")).isEqualTo("250 2.1.5 Recipient <alice@local.test> OK (already listed)");
        assertThat(c.command("DATA")).isEqualTo("354 End data with <CR><LF>.<CR><LF>");
        c.send("Subject: hi\r\n\r\nHello\r\n.\r\n");
        assertThat(c.readReply()).matches("250 2\\.0\\.0 Ok: queued as [0-9A-Z]+");
        assertThat(c.command("QUIT")).isEqualTo("221 2.0.0 mx.local.test closing connection");
        assertThat(c.isClosedByServer()).isTrue();

        ReceivedMessage m = SmtpTesting.await(sink, 1).get(0);
        Envelope e = m.envelope();
        assertThat(e.reversePath()).contains(MailAddress.parse("sender@remote.test"));
        assertThat(e.recipients()).containsExactly(MailAddress.parse("alice@local.test"),
                MailAddress.parse("Bob@LOCAL.test"));
        assertThat(e.mailParameters()).containsEntry("BODY", "8BITMIME").containsEntry("SIZE", "100");
        assertThat(e.heloName()).contains("client.test");
        assertThat(e.protocol()).isEqualTo("ESMTP");
        assertThat(e.clientAddress().orElseThrow().getAddress().isLoopbackAddress()).isTrue();
        String text = m.source().asString();
        assertThat(text).startsWith("Received: from client.test ([127.0.0.1])\r\n\tby mx.local.test (mailkit) with ESMTP id "
                + e.transactionId() + ";\r\n\t").doesNotContain("for <");
        assertThat(text).endsWith("Subject: hi\r\n\r\nHello\r\n");
    }

    @Test
    void pipelinedCommandsInOneSegment() throws Exception {
        c.send("EHLO client.test\r\nMAIL FROM:<>\r\nRCPT TO:<alice@local.test>\r\nRCPT TO:<nobody@remote.test>\r\n"
                + "DATA\r\nSubject: piped\r\n\r\nx\r\n.\r\nNOOP\r\n");
        assertThat(c.readReply()).startsWith("250-mx.local.test");
        assertThat(c.readReply()).isEqualTo("250 2.1.0 Sender <> OK");
        assertThat(c.readReply()).startsWith("250 2.1.5");
        assertThat(c.readReply()).isEqualTo("554 5.7.1 <nobody@remote.test>: Relay access denied");
        assertThat(c.readReply()).startsWith("354");
        assertThat(c.readReply()).startsWith("250 2.0.0 Ok");
        assertThat(c.readReply()).isEqualTo("250 2.0.0 OK");
        ReceivedMessage m = SmtpTesting.await(sink, 1).get(0);
        assertThat(m.envelope().isNullReversePath()).isTrue();
        assertThat(m.envelope().recipients()).hasSize(1);
        assertThat(m.envelope().recipients().get(0).toString()).isEqualTo("alice@local.test");
    }

    @Test
    void sequenceErrors() throws Exception {
        assertThat(c.command("MAIL FROM:<a@b.test>")).isEqualTo("503 5.5.1 Send EHLO or HELO first");
        c.command("EHLO client.test");
        assertThat(c.command("RCPT TO:<alice@local.test>")).isEqualTo("503 5.5.1 Send MAIL first");
        assertThat(c.command("DATA")).isEqualTo("503 5.5.1 Send MAIL first");
        c.command("MAIL FROM:<a@b.test>");
        assertThat(c.command("MAIL FROM:<a@b.test>")).startsWith("503 5.5.1 Nested MAIL");
        assertThat(c.command("DATA")).isEqualTo("554 5.5.1 No valid recipients");
        assertThat(c.command("RSET")).isEqualTo("250 2.0.0 OK");
        assertThat(c.command("RCPT TO:<alice@local.test>")).isEqualTo("503 5.5.1 Send MAIL first");
    }

    @Test
    void everyReplyHasAnEnhancedStatusIncludingSubethaSmtpsOwn() throws Exception {
        assertThat(c.command("XYZZY")).isEqualTo("500 5.5.2 Command not recognized");
        assertThat(c.command("EHLOX foo")).isEqualTo("500 5.5.2 Command not recognized");
        assertThat(c.command("NOOP")).isEqualTo("250 2.0.0 OK");
        assertThat(c.command("HELP")).startsWith("214 2.0.0");
        assertThat(c.command("VRFY alice@local.test")).startsWith("252 2.5.0");
        assertThat(c.command("EXPN list")).isEqualTo("502 5.5.1 EXPN is not available");
        assertThat(c.command("STARTTLS")).isEqualTo("502 5.5.1 TLS is not available on this server");
        assertThat(c.command("AUTH PLAIN")).isEqualTo("502 5.5.1 AUTH is not available on this port");
        assertThat(c.command("EHLO")).isEqualTo("501 5.5.4 Syntax: EHLO hostname");
    }

    @Test
    void mailParameters() throws Exception {
        c.command("EHLO client.test");
        assertThat(c.command("MAIL FROM:<a@b.test> SIZE=10001")).isEqualTo(
                "552 5.3.4 Message size exceeds fixed limit of 10000 octets");
        assertThat(c.command("MAIL FROM:<a@b.test> BODY=BINARYMIME")).startsWith("555 5.5.4");
        assertThat(c.command("MAIL FROM:<a@b.test> RET=FULL")).isEqualTo("555 5.5.4 Unsupported parameter RET");
        assertThat(c.command("MAIL FROM:<a@b.test> SIZE=x")).isEqualTo("501 5.5.4 SIZE needs a number of octets");
        assertThat(c.command("MAIL FROM:a@b.test")).startsWith("501 5.5.4 Syntax: MAIL FROM:<address>");
        assertThat(c.command("MAIL FROM:<a@b.test> AUTH=<>")).startsWith("250");
    }

    @Test
    void recipientLimitAndPostmaster() throws Exception {
        c.command("EHLO client.test");
        c.command("MAIL FROM:<a@b.test>");
        assertThat(c.command("RCPT TO:<Postmaster>")).isEqualTo("250 2.1.5 Recipient <postmaster@local.test> OK");
        c.command("RCPT TO:<r1@local.test>");
        c.command("RCPT TO:<r2@local.test>");
        assertThat(c.command("RCPT TO:<r3@local.test>")).isEqualTo("452 4.5.3 Too many recipients (at most 3 per message)");
        assertThat(c.command("RCPT TO:<@source.test:r1@local.test>")).contains("already listed");
    }

    @Test
    void smtpUtf8() throws Exception {
        c.send("EHLO client.test\r\n");
        c.readReply();
        c.sendUtf8("MAIL FROM:<jörg@remote.test>\r\n");
        assertThat(c.readReply()).isEqualTo("553 5.6.7 Non-ASCII address needs the SMTPUTF8 parameter");
        c.sendUtf8("MAIL FROM:<jörg@remote.test> SMTPUTF8\r\n");
        assertThat(c.readReply()).isEqualTo("250 2.1.0 Sender <jörg@remote.test> OK");
        c.sendUtf8("RCPT TO:<用户@local.test>\r\n");
        assertThat(c.readReply()).isEqualTo("250 2.1.5 Recipient <用户@local.test> OK");
        c.sendUtf8("DATA\r\n");
        c.readReply();
        c.sendUtf8("Subject: ünïcode\r\n\r\nGrüße\r\n.\r\n");
        assertThat(c.readReply()).startsWith("250");
        ReceivedMessage m = SmtpTesting.await(sink, 1).get(0);
        assertThat(m.envelope().protocol()).isEqualTo("UTF8SMTP");
        assertThat(m.envelope().recipients()).containsExactly(MailAddress.parse("用户@local.test"));
        assertThat(m.source().asString()).endsWith("Subject: ünïcode\r\n\r\nGrüße\r\n");
    }

    @Test
    void bdatChunking() throws Exception {
        c.command("EHLO client.test");
        c.command("MAIL FROM:<a@b.test>");
        c.command("RCPT TO:<alice@local.test>");
        String part1 = "Subject: chunks\r\n\r\n";
        String part2 = "one\r\n.two\r\n";
        c.send("BDAT " + part1.length() + "\r\n" + part1);
        assertThat(c.readReply()).isEqualTo("250 2.0.0 " + part1.length() + " octets received");
        c.send("BDAT " + part2.length() + " LAST\r\n" + part2);
        assertThat(c.readReply()).startsWith("250 2.0.0 Ok: queued as");
        ReceivedMessage m = SmtpTesting.await(sink, 1).get(0);
        assertThat(m.source().asString()).endsWith("Subject: chunks\r\n\r\none\r\n.two\r\n"); // no dot-unstuffing in BDAT
        assertThat(c.command("BDAT 0 LAST")).isEqualTo("503 5.5.1 Send MAIL first");
    }

    @Test
    void multipleRecipientsAreOneRecordAndStayPrivate() throws Exception {
        c.command("EHLO client.test");
        c.command("MAIL FROM:<a@b.test>");
        c.command("RCPT TO:<to@local.test>");
        c.command("RCPT TO:<bcc@local.test>");
        c.command("DATA");
        c.send("To: to@local.test\r\n\r\nhi\r\n.\r\n");
        assertThat(c.readReply()).startsWith("250");
        List<ReceivedMessage> all = SmtpTesting.await(sink, 1);
        assertThat(all).hasSize(1);
        assertThat(all.get(0).envelope().recipients()).extracting(MailAddress::toString)
                .containsExactly("to@local.test", "bcc@local.test");
        assertThat(all.get(0).source().asString()).doesNotContain("bcc@local.test");
    }
}
