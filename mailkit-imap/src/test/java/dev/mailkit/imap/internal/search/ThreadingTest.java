package dev.mailkit.imap.internal.search;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 5256's base subject and date rules and the threading of shapes the Dovecot differential corpus cannot hold
 * (chains and fans of 20 000 messages: no recursion, no quadratic output).
 */
class ThreadingTest {
    @Test
    void baseSubjectsFollowRfc5256() {
        assertThat(BaseSubject.of("Re: Plan")).isEqualTo("Plan");
        assertThat(BaseSubject.of("RE: re:Fwd: FW: plan")).isEqualTo("plan");
        assertThat(BaseSubject.of("[list] Re: [other] Fwd: x (fwd) (fwd)")).isEqualTo("x");
        assertThat(BaseSubject.of("[fwd: Re: inner]")).isEqualTo("inner");
        assertThat(BaseSubject.of("[only a blob]")).isEqualTo("[only a blob]"); // removing it would leave nothing
        assertThat(BaseSubject.of("Re:   spaced \t  out  ")).isEqualTo("spaced out");
        assertThat(BaseSubject.of("=?UTF-8?Q?Re:_=C3=9Cber?=")).isEqualTo("Über");
        assertThat(BaseSubject.of("Reply to this")).isEqualTo("Reply to this");
        assertThat(BaseSubject.of("Re [x]: y")).isEqualTo("y");
        assertThat(BaseSubject.of(null)).isEmpty();
        assertThat(BaseSubject.isReplyOrForward("Re: x")).isTrue();
        assertThat(BaseSubject.isReplyOrForward("x (fwd)")).isTrue();
        assertThat(BaseSubject.isReplyOrForward("[list] x")).isFalse();
        assertThat(BaseSubject.isReplyOrForward("  x")).isFalse();
        // hostile: a long run of leaders and unclosed blobs ends, in linear time
        assertThat(BaseSubject.of("Re: ".repeat(50_000) + "[".repeat(50_000) + "x")).startsWith("[");
    }

    @Test
    void datesInZonesObsoleteFormsAndBrokenOnes() {
        assertThat(MessageDate.parse("Fri, 10 Jan 2025 01:00:00 -0800")).isEqualTo(1736499600L);
        assertThat(MessageDate.parse("10 Jan 2025 09:00 GMT")).isEqualTo(1736499600L);
        assertThat(MessageDate.parse("Fri, 10 Jan 25 04:00:00 EST (comment)")).isEqualTo(1736499600L);
        assertThat(MessageDate.parse("garbage")).isEqualTo(MessageDate.INVALID);
        assertThat(MessageDate.parse("31 Feb 2025 10:00 +0000")).isEqualTo(MessageDate.INVALID);
        assertThat(MessageDate.parse(null)).isEqualTo(MessageDate.INVALID);
        assertThat(MessageDate.parse("(" .repeat(10_000) + "1 Jan 2025 00:00 +0000")).isEqualTo(MessageDate.INVALID);
    }

    @Test
    void deepChainsAndWideFansAreWrittenWithoutRecursion() {
        int n = 20_000;
        List<Threader.Message> chain = new ArrayList<>();
        List<Threader.Message> fan = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            chain.add(new Threader.Message(i, "<" + i + "@x>", i == 1 ? List.of() : List.of("<" + (i - 1) + "@x>"),
                    "s", i > 1, i));
            fan.add(new Threader.Message(i, "<" + i + "@x>", i == 1 ? List.of() : List.of("<1@x>"), "s", i > 1, i));
        }
        StringBuilder sb = new StringBuilder();
        Threader.write(Threader.references(chain, true), sb);
        assertThat(sb).startsWith("(1 2 3 ").endsWith(" 19999 20000)");
        sb.setLength(0);
        Threader.write(Threader.references(fan, true), sb);
        assertThat(sb).startsWith("(1 (2)(3)(4)").endsWith("(19999)(20000))");
        // a nested fan: every message answers the one before and the first
        List<Threader.Message> nested = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            nested.add(new Threader.Message(i, "<" + i + "@x>", i == 1 ? List.of() : List.of("<" + (i - 1) + "@x>"),
                    "s" + (i % 2), false, -i));
        }
        sb.setLength(0);
        Threader.write(Threader.references(nested, false), sb);
        assertThat(sb.chars().filter(c -> c == '(').count()).isEqualTo(sb.chars().filter(c -> c == ')').count());
    }
}
