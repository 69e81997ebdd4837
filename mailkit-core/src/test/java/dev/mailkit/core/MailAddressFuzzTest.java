package dev.mailkit.core;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of the address parser ({@link MailAddress#parse}), which reads every MAIL FROM, RCPT TO and
 * header address. Properties: only {@link MailAddressException} is thrown, and its message (which SMTP replies and logs
 * repeat) has no control character; an accepted address has no control
 * character, respects RFC 5321's octet limits, and survives a round trip through its canonical form
 * ({@code parse(a.toString())} equals {@code a}, with the same local part, domain and canonical text), and
 * {@link MailAddress#of} rebuilds it from its parts. Regression inputs: {@code MailAddressFuzzTestInputs/}.
 */
class MailAddressFuzzTest {
    @FuzzTest
    void parse(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        MailAddress a;
        try {
            a = MailAddress.parse(text);
        } catch (MailAddressException e) {
            // the message is echoed in SMTP replies and logs: never a control character from outside
            assertThat(e.getMessage()).isNotBlank();
            assertThat(e.getMessage().chars().noneMatch(c -> c < 0x20 || c == 0x7f))
                    .as("control character in '%s'", e.getMessage()).isTrue();
            return;
        }
        String canonical = a.toString();
        for (int i = 0; i < canonical.length(); i++) {
            char c = canonical.charAt(i);
            assertThat(c < 0x20 || c == 0x7f).as("control character in %s", canonical).isFalse();
        }
        assertThat(a.localPart().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(
                MailAddress.MAX_LOCAL_PART_OCTETS);
        assertThat(a.domain().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(MailAddress.MAX_DOMAIN_OCTETS);
        MailAddress again = MailAddress.parse(canonical);
        assertThat(again).isEqualTo(a);
        assertThat(again.localPart()).isEqualTo(a.localPart());
        assertThat(again.domain()).isEqualTo(a.domain());
        assertThat(again.toString()).isEqualTo(canonical);
        assertThat(again.isSmtpUtf8()).isEqualTo(a.isSmtpUtf8());
        assertThat(MailAddress.of(a.localPart(), a.domain())).isEqualTo(a);
        assertThat(a.lookupKey()).isEqualTo(again.lookupKey());
        assertThat(a.hashCode()).isEqualTo(again.hashCode());
    }
}
