package dev.mailkit.relay.internal;

import dev.mailkit.core.MailAddress;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The envelope lines of a queue file (and of a log record) read back as written, DSN parameters included. */
class QueueFileTest {
    @Test
    void envelopeWithDsnParametersRoundTrips() throws Exception {
        QueueFile.Meta m = new QueueFile.Meta("ID1", Instant.ofEpochMilli(1_234_567), MailAddress.parse("a@x.test"),
                Map.of("RET", "HDRS", "ENVID", "e+2B1"),
                List.of(MailAddress.parse("b@y.test"), MailAddress.parse("c@y.test"), MailAddress.parse("d@y.test")),
                List.of(Map.of("NOTIFY", "SUCCESS,FAILURE", "ORCPT", "rfc822;b@y.test"), Map.of(),
                        Map.of("NOTIFY", "NEVER")), "tx-1", false);
        QueueFile.Meta back = QueueFile.parseHeader(new String(QueueFile.envelope(m), StandardCharsets.UTF_8), "test");
        assertThat(back.recipients).isEqualTo(m.recipients);
        assertThat(back.mailParameters).isEqualTo(m.mailParameters);
        assertThat(back.recipientParameters).containsExactly(
                Map.of("NOTIFY", "SUCCESS,FAILURE", "ORCPT", "rfc822;b@y.test"), Map.of(), Map.of("NOTIFY", "NEVER"));
    }

    /** A queue file written before DSN support has no rparam lines: every recipient has no parameters. */
    @Test
    void anOlderEnvelopeHasNoRecipientParameters() throws Exception {
        String old = "id ID2\ncreated 5\nfrom a@x.test\nrcpt b@y.test\nrcpt c@y.test\norigin api\nnotification 0\n";
        QueueFile.Meta back = QueueFile.parseHeader(old, "test");
        assertThat(back.recipientParameters).containsExactly(Map.of(), Map.of());
    }
}
