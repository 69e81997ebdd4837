package dev.mailkit.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModifiedUtf7Test {
    @Test
    void examplesFromRfc3501() {
        assertThat(ModifiedUtf7.encode("~peter/mail/\u65e5\u672c\u8a9e/\u53f0\u5317"))
                .isEqualTo("~peter/mail/&ZeVnLIqe-/&U,BTFw-");
        assertThat(ModifiedUtf7.decode("~peter/mail/&ZeVnLIqe-/&U,BTFw-"))
                .isEqualTo("~peter/mail/\u65e5\u672c\u8a9e/\u53f0\u5317");
    }

    @Test
    void ampersandAndPlainAscii() {
        assertThat(ModifiedUtf7.encode("Tom & Jerry")).isEqualTo("Tom &- Jerry");
        assertThat(ModifiedUtf7.decode("Tom &- Jerry")).isEqualTo("Tom & Jerry");
        assertThat(ModifiedUtf7.encode("INBOX")).isSameAs("INBOX");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Entw\u00fcrfe", "\u00e9t\u00e9 2024", "\ud83d\udce7 mail", "a\u00e9b\u00e8c", "\u00e9",
        "\u00e9\u00e9", "\u00e9\u00e9\u00e9", "Gel\u00f6schte Elemente", "\u0444\u0430\u0439\u043b&x"})
    void roundTrips(String name) {
        String enc = ModifiedUtf7.encode(name);
        assertThat(enc).matches("[\\x20-\\x7e]*");
        assertThat(ModifiedUtf7.decode(enc)).isEqualTo(name);
    }

    @Test
    void knownEncodings() {
        assertThat(ModifiedUtf7.encode("Entw\u00fcrfe")).isEqualTo("Entw&APw-rfe");
        assertThat(ModifiedUtf7.encode("\ud83d\udce7")).isEqualTo("&2D3c5w-");
    }

    @ParameterizedTest
    @ValueSource(strings = {"&", "&Jjo", "&Jjo!-", "&AGE-", "&U,BTFw-&ZeVnLIqe-", "&-&", "a\u00e9", "&2D0-",
        "&3ec-", "&AAAA-", "&APw", "&APx-", "tab\there"})
    void rejectsWhatIsNotCanonicalModifiedUtf7(String bad) {
        assertThatThrownBy(() -> ModifiedUtf7.decode(bad)).isInstanceOf(IllegalArgumentException.class);
    }
}
