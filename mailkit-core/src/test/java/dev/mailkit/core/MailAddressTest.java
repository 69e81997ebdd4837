package dev.mailkit.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MailAddressTest {

    @Test
    void parsesPlainAddress() {
        MailAddress a = MailAddress.parse("Alice.Smith@Example.COM");
        assertThat(a.localPart()).isEqualTo("Alice.Smith");
        assertThat(a.domain()).isEqualTo("Example.COM");
        assertThat(a.toString()).isEqualTo("Alice.Smith@Example.COM");
        assertThat(a).isEqualTo(MailAddress.parse("Alice.Smith@example.com"));
        assertThat(a).isNotEqualTo(MailAddress.parse("alice.smith@example.com"));
        assertThat(a.lookupKey()).isEqualTo("alice.smith@example.com");
        assertThat(a.isSmtpUtf8()).isFalse();
    }

    @Test
    void quotedLocalPartKeepsItsContentAndIsRequotedCanonically() {
        MailAddress a = MailAddress.parse("\"john \\\"jd\\\" doe\"@example.com");
        assertThat(a.localPart()).isEqualTo("john \"jd\" doe");
        assertThat(a.toString()).isEqualTo("\"john \\\"jd\\\" doe\"@example.com");
        // quotes that are not needed are dropped
        assertThat(MailAddress.parse("\"plain\"@example.com").toString()).isEqualTo("plain@example.com");
        assertThat(MailAddress.of("a b", "x.test").toString()).isEqualTo("\"a b\"@x.test");
    }

    @Test
    void openRelayTricksAreJustLocalParts() {
        // never interpreted as routing: the domain is what follows the last unquoted '@'
        assertThat(MailAddress.parse("user%ext.test@local.test").domain()).isEqualTo("local.test");
        assertThat(MailAddress.parse("ext!user@local.test").localPart()).isEqualTo("ext!user");
        MailAddress quoted = MailAddress.parse("\"user@ext.test\"@local.test");
        assertThat(quoted.localPart()).isEqualTo("user@ext.test");
        assertThat(quoted.domain()).isEqualTo("local.test");
    }

    @Test
    void smtpUtf8Addresses() {
        MailAddress a = MailAddress.parse("用户@例子.广告");
        assertThat(a.isSmtpUtf8()).isTrue();
        assertThat(a.localPart()).isEqualTo("用户");
        assertThat(a.domainAscii()).isEqualTo("xn--fsqu00a.xn--4rr70v");
        assertThat(MailAddress.parse("jöran@example.com").isSmtpUtf8()).isTrue();
    }

    @Test
    void addressLiterals() {
        assertThat(MailAddress.parse("postmaster@[192.0.2.1]").isAddressLiteral()).isTrue();
        assertThat(MailAddress.parse("postmaster@[IPv6:2001:db8::1]").domain()).isEqualTo("[IPv6:2001:db8::1]");
        assertThatThrownBy(() -> MailAddress.parse("a@[999.1.1.1]")).hasMessageContaining("IPv4 address literal");
        assertThatThrownBy(() -> MailAddress.parse("a@[IPv6:zz::1]")).hasMessageContaining("IPv6");
        assertThatThrownBy(() -> MailAddress.parse("a@[1.2.3.4")).hasMessageContaining("enclosed in [ ]");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''|empty",
            "nodomain|has no '@'",
            "@example.com|local part is empty",
            "a@|domain is empty",
            ".a@example.com|must not start with '.'",
            "a.@example.com|must not end with '.'",
            "a..b@example.com|'..'",
            "a b@example.com|not allowed in an unquoted local part",
            "a@example.com.|must not end with '.'",
            "a@exa_mple.com|not allowed in the domain",
            "a@-example.com|starts or ends with '-'",
            "a@example..com|empty label",
            "\"unterminated@example.com|no closing",
            "a@b@example.com|not allowed in the domain",
    })
    void rejectsWithAMessageThatSaysWhy(String input, String why) {
        assertThatThrownBy(() -> MailAddress.parse(input))
                .isInstanceOf(MailAddressException.class)
                .hasMessageContaining(why);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\r\nRCPT TO:<x@y>@example.com", "a@exam\nple.com", "a\u0000b@example.com",
            "\"a\rb\"@example.com"})
    void controlCharactersAreRejectedAndShownEscaped(String input) {
        assertThatThrownBy(() -> MailAddress.parse(input))
                .isInstanceOf(MailAddressException.class)
                .hasMessageNotContaining("\r").hasMessageNotContaining("\n").hasMessageNotContaining("\u0000")
                .hasMessageMatching("(?s).*(CR or LF|NUL).*");
    }

    @Test
    void lengthLimits() {
        String local64 = "a".repeat(64);
        assertThat(MailAddress.parse(local64 + "@example.com").localPart()).hasSize(64);
        assertThatThrownBy(() -> MailAddress.parse(local64 + "a@example.com")).hasMessageContaining("64 octets");
        String label = "b".repeat(63);
        assertThat(MailAddress.parse("a@" + label + ".com")).isNotNull();
        assertThatThrownBy(() -> MailAddress.parse("a@" + label + "b.com")).hasMessageContaining("63 characters");
        String longDomain = (label + ".").repeat(4) + "com";
        assertThatThrownBy(() -> MailAddress.parse("a@" + longDomain)).hasMessageContaining("255 octets");
    }

    @Test
    void withLocalPartStripsTags() {
        MailAddress a = MailAddress.parse("bob+news@example.com");
        assertThat(a.withLocalPart("bob")).isEqualTo(MailAddress.parse("bob@example.com"));
    }

    /** RFC 5890: a domain in U-labels and its A-label form are one domain; look-alikes that IDNA2003 would map are not. */
    @Test
    void internationalizedDomainsCompareInTheirALabelForm() {
        MailAddress u = MailAddress.parse("jörg@Bücher.example");
        MailAddress a = MailAddress.parse("jörg@xn--bcher-kva.example");
        assertThat(u).isEqualTo(a).hasSameHashCodeAs(a);
        assertThat(u.lookupKey()).isEqualTo(a.lookupKey()).isEqualTo("jörg@xn--bcher-kva.example");
        assertThat(u.domainLowerCase()).isEqualTo("xn--bcher-kva.example");
        assertThat(u.domainAscii()).isEqualTo("xn--bcher-kva.example");
        assertThat(u.domain()).as("kept as written").isEqualTo("Bücher.example");
        assertThat(MailAddress.canonicalDomain("BÜCHER.Example")).isEqualTo("xn--bcher-kva.example");
        assertThat(MailAddress.canonicalDomain("bu\u0308cher.example")).as("NFC first").isEqualTo("xn--bcher-kva.example");

        // full-width letters map to ASCII under IDNA2003: they must not become example.test
        MailAddress fullWidth = MailAddress.parse("bob@ｅｘａｍｐｌｅ.test");
        assertThat(fullWidth).isNotEqualTo(MailAddress.parse("bob@example.test"));
        assertThat(fullWidth.lookupKey()).isNotEqualTo("bob@example.test");
        assertThat(fullWidth.domainLowerCase()).isNotEqualTo("example.test");
        // IDNA2003 maps ß to ss; IDNA2008 keeps faß.example apart from fass.example
        assertThat(MailAddress.parse("a@faß.example")).isNotEqualTo(MailAddress.parse("a@fass.example"));
        assertThat(MailAddress.canonicalDomain("faß.example")).isNotEqualTo("fass.example");
        assertThat(MailAddress.parse("a@[192.0.2.1]").domainLowerCase()).isEqualTo("[192.0.2.1]");
    }

    /** RFC 6532 3.1: local parts compare in normal form C for lookups (one user, however the client composed it). */
    @Test
    void lookupKeysNormaliseUtf8LocalParts() {
        assertThat(MailAddress.parse("jo\u0308rg@example.test").lookupKey())
                .isEqualTo(MailAddress.parse("JÖRG@example.test").lookupKey()).isEqualTo("jörg@example.test");
        assertThat(MailAddress.parse("Alice@Example.TEST").lookupKey()).isEqualTo("alice@example.test");
        assertThat(MailAddress.parse("\"a b\"@x.test").lookupKey()).isEqualTo("\"a b\"@x.test");
    }

    /**
     * Found by SmtpSessionFuzzTest: the domain of an over-long label, an empty label or a trailing dot was quoted in
     * the error as written, so a control character from MAIL FROM (ESC, ETX, ...) came back in the 501 reply and went
     * into logs. Every part of an error message is now in printable form.
     */
    @Test
    void errorsNeverRepeatControlCharacters() {
        String longLabel = "r500 \u0003Error" + "x".repeat(60);
        for (String bad : List.of("a@" + longLabel + ".test", "a@b\u001b[31m..test", "a@-\u0007x.test",
                "a@x\u0001.test.")) {
            assertThatThrownBy(() -> MailAddress.parse(bad)).isInstanceOf(MailAddressException.class)
                    .satisfies(e -> assertThat(e.getMessage().chars().noneMatch(c -> c < 0x20 || c == 0x7f))
                            .as(e.getMessage()).isTrue());
        }
    }
}
