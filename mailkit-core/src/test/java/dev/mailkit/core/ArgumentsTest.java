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

    @Test
    void remotePortsAreOneTo65535AndTheErrorNamesTheSetting() {
        assertThat(Arguments.remotePort(1, "mxPort")).isEqualTo(1);
        assertThat(Arguments.remotePort(65535, "mxPort")).isEqualTo(65535);
        assertThatThrownBy(() -> Arguments.remotePort(0, "mxPort")).hasMessage("mxPort must be 1..65535, was 0");
        assertThatThrownBy(() -> Arguments.remotePort(65536, "smart host port"))
                .hasMessage("smart host port must be 1..65535, was 65536");
    }
}
