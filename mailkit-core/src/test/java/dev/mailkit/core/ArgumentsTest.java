package dev.mailkit.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArgumentsTest {

    @Test
    void positiveSizesAndDurations() {
        assertThat(Arguments.positive(1, "maxMessageSize")).isEqualTo(1);
        assertThatThrownBy(() -> Arguments.positive(0, "maxMessageSize"))
                .hasMessage("maxMessageSize must be positive, was 0");
        assertThatThrownBy(() -> Arguments.positive(Duration.ZERO, "timeout"))
                .hasMessage("timeout must be positive, was PT0S");
        assertThatThrownBy(() -> Arguments.positive((Duration) null, "timeout"))
                .isInstanceOf(NullPointerException.class).hasMessage("timeout");
    }

    @Test
    void tokensAreVisibleAsciiWithoutSpacesAndTheErrorShowsWhatWasGiven() {
        assertThat(Arguments.token("mailkit-1", "mtaName")).isEqualTo("mailkit-1");
        assertThatThrownBy(() -> Arguments.token("", "mtaName"))
                .hasMessage("mtaName must be printable ASCII without spaces, was ''");
        assertThatThrownBy(() -> Arguments.token("a b\r\nX-Injected: 1", "spamd user"))
                .hasMessage("spamd user must be printable ASCII without spaces, was"
                        + " 'a\\u0020b\\u000d\\u000aX-Injected:\\u00201'");
        assertThatThrownBy(() -> Arguments.token("ü" + "x".repeat(50), "mtaName"))
                .hasMessageStartingWith("mtaName must be printable ASCII without spaces, was '\\u00fcxxx")
                .hasMessageEndingWith("...'");
    }
}
