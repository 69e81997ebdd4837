package dev.mailkit.smtp;

import dev.mailkit.core.MailAddress;
import dev.mailkit.core.sink.InMemorySink;
import dev.mailkit.testsupport.RawClient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The DSN extension at the receiver (RFC 3461): offered only with a relay queue to send the notifications; RET,
 * ENVID, NOTIFY and ORCPT checked, normalised and kept in the envelope; refused with 555 where DSN is not offered.
 */
class DsnParametersTest {
    @Test
    void withoutARelayQueueDsnIsNeitherOfferedNorAccepted() throws Exception {
        try (SmtpServer s = SmtpTesting.mx(new InMemorySink()).build().start(); RawClient c = new RawClient(s.port())) {
            c.readReply();
            assertThat(c.command("EHLO client.test")).doesNotContain("DSN");
            assertThat(c.command("MAIL FROM:<a@remote.test> RET=HDRS")).isEqualTo("555 5.5.4 Unsupported parameter RET");
            assertThat(c.command("MAIL FROM:<a@remote.test> ENVID=x")).isEqualTo("555 5.5.4 Unsupported parameter ENVID");
            assertThat(c.command("MAIL FROM:<a@remote.test>")).startsWith("250");
            assertThat(c.command("RCPT TO:<bob@local.test> NOTIFY=SUCCESS"))
                    .isEqualTo("555 5.5.4 Unsupported parameter NOTIFY");
        }
    }

    @Test
    void withARelayQueueTheParametersAreCheckedAndKept() throws Exception {
        InMemorySink sink = new InMemorySink();
        try (SmtpServer s = SmtpTesting.mx(sink).relay(new RecordingOutboundQueue()).build().start();
             RawClient c = new RawClient(s.port())) {
            c.readReply();
            assertThat(c.command("EHLO client.test")).containsPattern("(?m)^250[- ]DSN$");
            assertThat(c.command("MAIL FROM:<a@remote.test> RET=ALL")).isEqualTo("501 5.5.4 RET must be FULL or HDRS");
            assertThat(c.command("MAIL FROM:<a@remote.test> ENVID=" + "x".repeat(101)))
                    .isEqualTo("501 5.5.4 ENVID must be 1 to 100 characters of xtext");
            assertThat(c.command("MAIL FROM:<a@remote.test> ENVID=bad+zz"))
                    .isEqualTo("501 5.5.4 ENVID must be 1 to 100 characters of xtext");
            assertThat(c.command("MAIL FROM:<a@remote.test> RET=hdrs ENVID=QQ+2B1")).startsWith("250");
            assertThat(c.command("RCPT TO:<bob@local.test> NOTIFY=NEVER,SUCCESS")).isEqualTo(
                    "501 5.5.4 NOTIFY must be NEVER, or SUCCESS, FAILURE and DELAY separated by commas");
            assertThat(c.command("RCPT TO:<bob@local.test> NOTIFY=SOMETIMES")).startsWith("501 5.5.4 NOTIFY");
            assertThat(c.command("RCPT TO:<bob@local.test> ORCPT=bob@local.test"))
                    .isEqualTo("501 5.5.4 ORCPT must be addr-type;xtext, at most 500 characters");
            assertThat(c.command("RCPT TO:<bob@local.test> XNOTIFY=1")).isEqualTo("555 5.5.4 Unsupported parameter XNOTIFY");
            assertThat(c.command("RCPT TO:<bob@local.test> NOTIFY=delay,Failure ORCPT=rfc822;Bob+40old.test"))
                    .startsWith("250");
            assertThat(c.command("DATA")).startsWith("354");
            assertThat(c.command("Subject: dsn\r\n\r\nhi\r\n.")).startsWith("250");
        }
        var e = SmtpTesting.await(sink, 1).get(0).envelope();
        assertThat(e.mailParameters()).containsEntry("RET", "hdrs").containsEntry("ENVID", "QQ+2B1");
        assertThat(e.recipientParameters(MailAddress.parse("bob@local.test")))
                .containsEntry("NOTIFY", "FAILURE,DELAY").containsEntry("ORCPT", "rfc822;Bob+40old.test");
    }
}
