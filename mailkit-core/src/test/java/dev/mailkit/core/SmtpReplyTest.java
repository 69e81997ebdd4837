package dev.mailkit.core;

import dev.mailkit.core.filter.FilterVerdict;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SmtpReplyTest {
    @Test
    void wireFormat() {
        assertThat(SmtpReply.of(550, "5.7.1", "Relaying denied").toWireFormat()).isEqualTo("550 5.7.1 Relaying denied");
        assertThat(SmtpReply.multiline(250, "2.0.0", List.of("a", "b")).toWireFormat())
                .isEqualTo("250-2.0.0 a\r\n250 2.0.0 b");
    }

    @Test
    void refusesInjectionAndMismatchedStatus() {
        assertThatThrownBy(() -> SmtpReply.of(250, "2.0.0", "ok\r\n250 2.0.0 more"))
                .hasMessageContaining("CR, LF or NUL");
        assertThatThrownBy(() -> SmtpReply.of(550, "4.7.1", "x")).hasMessageContaining("class 5");
        assertThatThrownBy(() -> SmtpReply.of(700, "5.0.0", "x")).hasMessageContaining("200..599");
    }

    @Test
    void verdicts() {
        assertThat(FilterVerdict.accept().isAccept()).isTrue();
        assertThat(FilterVerdict.reject(554, "5.7.1", "no").reply()).get().extracting(SmtpReply::code).isEqualTo(554);
        assertThatThrownBy(() -> FilterVerdict.reject(451, "4.0.0", "x")).hasMessageContaining("5xx");
        assertThatThrownBy(() -> FilterVerdict.tempFail(550, "5.0.0", "x")).hasMessageContaining("4xx");
        assertThatThrownBy(() -> FilterVerdict.addHeader("X-Bad", "a\r\nBcc: x")).hasMessageContaining("CR, LF");
        assertThatThrownBy(() -> FilterVerdict.addHeader("X Bad", "v")).hasMessageContaining("name");
        assertThat(FilterVerdict.addHeader("X-A", "1").withHeader("X-B", "2").headers()).hasSize(2);
    }
}
