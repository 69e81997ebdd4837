package dev.mailkit.scan;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MessageSource;
import dev.mailkit.scan.daemons.Clamd;
import dev.mailkit.scan.daemons.RealDaemons;
import dev.mailkit.scan.daemons.Rspamd;
import dev.mailkit.scan.daemons.Spamd;
import dev.mailkit.scan.internal.MessageEditor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The clients against the real daemons: Rspamd (GTUBE rejected, the metadata it is told, its actions and header
 * edits, learning), spamd (GTUBE as spam with its score, SYMBOLS and REPORT, TELL) and clamd (EICAR inside a base64
 * multipart, over TCP and a Unix socket, StreamMaxLength).
 */
@ExtendWith(RealDaemons.class)
class RealScannersTest {

    @Test
    void rspamdRejectsGtubeAndPassesACleanMessage(Rspamd rspamd) throws Exception {
        RspamdClient client = rspamd.client().build();
        ScanResult spam = client.scan(Messages.envelope(), Messages.gtube());
        assertThat(spam.verdict()).isEqualTo(ScanResult.Verdict.REJECT);
        assertThat(spam.symbols()).contains("GTUBE");
        assertThat(spam.reply()).hasValueSatisfying(r -> assertThat(r.code()).isEqualTo(550));
        ScanResult ham = client.scan(Messages.envelope(), Messages.clean());
        assertThat(ham.verdict()).isEqualTo(ScanResult.Verdict.CLEAN);
        assertThat(ham.score()).isPresent();
        assertThat(ham.threshold()).hasValue(15.0);
        assertThat(client.ping()).isEqualTo("pong");
    }

    @Test
    void rspamdIsToldTheTransaction(Rspamd rspamd) throws Exception {
        Envelope e = Messages.envelope("a@local.test", "b@local.test").toBuilder().authenticatedUser("alice").build();
        ScanResult r = rspamd.client().build().scan(e, Messages.clean());
        assertThat(r.symbols()).contains("MK_USER", "MK_HELO", "MK_FROM", "MK_RCPT2", "MK_QUEUEID", "MK_IP");
        ScanResult anonymous = rspamd.client().build().scan(Messages.envelope(), Messages.clean());
        assertThat(anonymous.symbols()).doesNotContain("MK_USER", "MK_RCPT2").contains("MK_IP");
    }

    @Test
    void rspamdActionsAndHeaderEditsBecomeTheMessage(Rspamd rspamd) throws Exception {
        RspamdClient client = rspamd.client().build();
        ScanResult tagged = client.scan(Messages.envelope(), Messages.text("please tag-me", "hello"));
        assertThat(tagged.verdict()).isEqualTo(ScanResult.Verdict.SPAM);
        assertThat(tagged.edits()).extracting(HeaderEdit::name).contains("X-Spamd-Bar", "X-Spam");
        ScanResult rewritten = client.scan(Messages.envelope(), Messages.text("please rewrite-me", "hello"));
        assertThat(rewritten.verdict()).isEqualTo(ScanResult.Verdict.SPAM);
        assertThat(rewritten.edits()).contains(HeaderEdit.change("Subject", 1, "*** SPAM *** please rewrite-me"));
        try (MessageSource forged = MessageSource.ofText("X-Spam: yes\r\n" + Messages.header("please rewrite-me")
                + "\r\nhello\r\n");
             MessageSource edited = MessageEditor.apply(forged, rewritten.edits(), null, List.of(), Set.of())) {
            String text = edited.asString();
            assertThat(text).contains("Subject: *** SPAM *** please rewrite-me\r\n").doesNotContain("X-Spam: yes")
                    .endsWith("\r\n\r\nhello\r\n");
        }
    }

    @Test
    void rspamdLearnsFromTheController(Rspamd rspamd) throws Exception {
        RspamdClient client = rspamd.client().build();
        long before = RspamdStats.learned(rspamd);
        client.learnSpam(Messages.text("cheap pills", "buy cheap pills now " + System.nanoTime()));
        client.learnHam(Messages.text("minutes", "the minutes of the meeting " + System.nanoTime()));
        assertThat(RspamdStats.learned(rspamd)).isEqualTo(before + 2);
    }

    @Test
    void spamdScoresGtubeAsSpamWithItsRules(Spamd spamd) throws Exception {
        SpamdClient client = SpamdClient.builder(spamd.address()).build();
        ScanResult spam = client.scan(Messages.envelope(), Messages.gtube());
        assertThat(spam.verdict()).isEqualTo(ScanResult.Verdict.SPAM);
        assertThat(spam.score().getAsDouble()).isGreaterThan(900); // GTUBE is 1000, other rules add or take a little
        assertThat(spam.threshold()).hasValue(5.0);
        assertThat(spam.symbols()).contains("GTUBE");
        ScanResult ham = client.scan(Messages.envelope(), Messages.clean());
        assertThat(ham.verdict()).isEqualTo(ScanResult.Verdict.CLEAN);
        ScanResult report = SpamdClient.builder(spamd.address()).report(true).rejectScore(20).build()
                .scan(Messages.envelope(), Messages.gtube());
        assertThat(report.verdict()).isEqualTo(ScanResult.Verdict.REJECT);
        assertThat(report.symbols()).contains("GTUBE");
        assertThat(client.ping()).contains("PONG");
        client.learnSpam(Messages.gtube(), "alice");
        client.learnHam(Messages.clean(), "alice");
    }

    @Test
    void clamdFindsEicarInABase64AttachmentOverTcpAndUnixSockets(Clamd clamd) throws Exception {
        for (String address : List.of(clamd.tcpAddress(), clamd.unixAddress())) {
            ClamdClient client = ClamdClient.builder(address).timeout(Duration.ofSeconds(10)).build();
            ScanResult virus = client.scan(Messages.envelope(), Messages.eicar());
            assertThat(virus.verdict()).as(address).isEqualTo(ScanResult.Verdict.VIRUS);
            assertThat(virus.virus()).hasValueSatisfying(v -> assertThat(v).startsWith("Mailkit.Test.EICAR"));
            assertThat(client.scan(Messages.envelope(), Messages.clean()).verdict()).isEqualTo(ScanResult.Verdict.CLEAN);
            assertThat(client.ping()).startsWith("PONG, ClamAV");
        }
    }

    @Test
    void clamdsStreamMaxLengthIsASkipNotAFailure(Clamd clamd) throws Exception {
        byte[] big = new byte[(int) Clamd.streamMaxLength() + 4096];
        java.util.Arrays.fill(big, (byte) 'a');
        MessageSource message = MessageSource.of(("Subject: big\r\n\r\n" + new String(big, StandardCharsets.US_ASCII))
                .getBytes(StandardCharsets.US_ASCII));
        ClamdClient honest = ClamdClient.builder(clamd.unixAddress()).streamMaxLength(Clamd.streamMaxLength()).build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> honest.scan(Messages.envelope(), message))
                .isInstanceOf(dev.mailkit.scan.internal.SkipException.class);
        ClamdClient unaware = ClamdClient.builder(clamd.unixAddress()).build(); // thinks 25 MiB: clamd says no
        // clamd answers "size limit exceeded" and closes while bytes are still arriving: whether its answer or the
        // reset of the connection (TCP discards what was not read) reaches us first is a race; either way the
        // message is never passed as clean, and the failure policy decides
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> unaware.scan(Messages.envelope(), message))
                .isInstanceOf(java.io.IOException.class)
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(e instanceof
                        dev.mailkit.scan.internal.SkipException ? e.getMessage() : "closed")
                        .containsAnyOf("StreamMaxLength", "closed"));
    }
}
