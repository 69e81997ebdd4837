package dev.mailkit.relay.internal;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The enhanced status of a reply (RFC 3463 classes 2, 4 and 5 only) and what counts as success (RFC 5321 4.2.1). */
class ReplyTest {
    @Test
    void aThreeHundredReplyHasNoEnhancedStatusAndIsNoSuccess() {
        Reply r = new Reply(300, List.of("300 mx.S"));
        assertThat(r.status).isNull();
        assertThat(r.isPositive()).isFalse();
        assertThat(r.isTransient()).isTrue();
        assertThat(new Reply(354, List.of("354 3.0.0 go ahead")).status).isNull();
    }

    @Test
    void theStatusComesFromTheTextWhenItsClassMatchesTheCode() {
        assertThat(new Reply(550, List.of("550 5.1.1 no such user")).status).isEqualTo("5.1.1");
        assertThat(new Reply(250, List.of("250 5.1.1 odd")).status).isEqualTo("2.0.0");
        assertThat(new Reply(421, List.of("421 closing")).status).isEqualTo("4.0.0");
        assertThat(new Reply(250, List.of("250 ok")).isPositive()).isTrue();
    }
}
