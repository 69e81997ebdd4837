package dev.mailkit.test.assertj;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MessageSource;
import dev.mailkit.mailauth.dkim.DkimSigner;
import dev.mailkit.test.ReceivedMail;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.mailkit.test.assertj.MailKitAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReceivedMailAssertTest {
    static final ReceivedMail MAIL = new ReceivedMail(
            Envelope.builder().reversePath("shop@shop.test").recipient("bob@example.test").recipient("audit@shop.test")
                    .transactionId("T1").build(),
            MessageSource.ofText("From: The Shop <shop@shop.test>\nTo: bob@example.test\nCc: =?UTF-8?Q?J=C3=B6rg?= <joerg@example.test>\n"
                    + "Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\nDKIM-Signature: v=1; a=rsa-sha256; d=shop.test; s=s1; b=abc\n"
                    + "Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: quoted-printable\n\n"
                    + "Hallo J=C3=B6rg\n"),
            List.of());

    @Test
    void passingAssertions() {
        assertThat(MAIL).hasSubject("Grüße").hasSubjectContaining("Grü").hasFrom("shop@shop.test")
                .hasFrom("The Shop <shop@shop.test>").hasTo("bob@example.test").hasCc("joerg@example.test")
                .hasRecipient("audit@shop.test").hasOnlyRecipients("bob@example.test", "audit@shop.test")
                .hasSender("shop@shop.test").hasHeader("DKIM-Signature")
                .textContains("Hallo Jörg").bodyContains("Jörg").hasAttachmentCount(0)
                .hasTransferEncoding("quoted-printable");
    }

    @Test
    void failuresSayWhatWasExpectedAndWhichMessageItWas() {
        assertThatThrownBy(() -> assertThat(MAIL).hasSubject("Hello"))
                .hasMessageContaining("Expecting subject").hasMessageContaining("\"Hello\"")
                .hasMessageContaining("\"Grüße\"").hasMessageContaining("in message from <shop@shop.test>");
        assertThatThrownBy(() -> assertThat(MAIL).hasRecipient("carol@example.test"))
                .hasMessageContaining("Expecting envelope recipient <carol@example.test> but the recipients were "
                        + "[bob@example.test, audit@shop.test]");
        assertThatThrownBy(() -> assertThat(MAIL).hasOnlyRecipients("bob@example.test"))
                .hasMessageContaining("exactly the envelope recipients");
        assertThatThrownBy(() -> assertThat(MAIL).htmlContains("x")).hasMessageContaining("HTML part")
                .hasMessageContaining("(none)");
        assertThatThrownBy(() -> assertThat(MAIL).hasAttachment("a.pdf")).hasMessageContaining("\"a.pdf\"");
        assertThatThrownBy(() -> assertThat(MAIL).hasHeader("X-Missing")).hasMessageContaining("X-Missing");
        assertThatThrownBy(() -> assertThat(MAIL).hasTo("x@y.test")).hasMessageContaining("To header to name <x@y.test>");
    }

    /** isDkimSignedBy verifies the signature with the key the test gives; a d= tag alone is not enough. */
    @Test
    void dkimSignaturesAreVerifiedNotJustNamed() throws Exception {
        java.security.KeyPair kp = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        DkimSigner signer = DkimSigner.builder("shop.test", "s1", kp.getPrivate()).build();
        String message = "From: The Shop <shop@shop.test>\r\nTo: bob@example.test\r\nSubject: signed\r\n\r\nHello\r\n";
        String signature = signer.sign(new java.io.ByteArrayInputStream(message.getBytes(
                java.nio.charset.StandardCharsets.UTF_8)), java.time.Instant.now());
        String key = signer.dnsRecord().orElseThrow();
        assertThat(mail(signature + message)).isDkimSignedBy("shop.test", key).isDkimSignedBy("SHOP.test", key);
        assertThatThrownBy(() -> assertThat(mail(signature + message)).isDkimSignedBy("other.test", key))
                .hasMessageContaining("DKIM signature of other.test").hasMessageContaining("d=shop.test");
        assertThatThrownBy(() -> assertThat(mail(signature + message.replace("Hello", "Hullo")))
                .isDkimSignedBy("shop.test", key)).hasMessageContaining("fail");
        String otherKey = DkimSigner.builder("shop.test", "s1", java.security.KeyPairGenerator.getInstance("Ed25519")
                .generateKeyPair().getPrivate()).build().dnsRecord().orElseThrow();
        assertThatThrownBy(() -> assertThat(mail(signature + message)).isDkimSignedBy("shop.test", otherKey))
                .hasMessageContaining("fail");
        assertThatThrownBy(() -> assertThat(MAIL).isDkimSignedBy("shop.test", key))
                .as("a DKIM-Signature header that does not verify").hasMessageContaining("shop.test");
    }

    static ReceivedMail mail(String text) {
        return new ReceivedMail(Envelope.builder().reversePath("shop@shop.test").recipient("bob@example.test").build(),
                MessageSource.ofText(text), List.of());
    }
}
