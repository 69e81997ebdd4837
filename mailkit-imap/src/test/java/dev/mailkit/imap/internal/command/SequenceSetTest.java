package dev.mailkit.imap.internal.command;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SequenceSetTest {
    private static final long S = SequenceSet.STAR;

    @Test
    void resolvesStarsReversedRangesAndMerges() {
        assertThat(SequenceSet.of(1, S).resolve(10)).containsExactly(1, 10);
        assertThat(SequenceSet.of(S, 3).resolve(10)).containsExactly(3, 10);
        assertThat(SequenceSet.of(5, 2, 9, 9, 3, 7, 12, 12).resolve(20)).containsExactly(2, 7, 9, 9, 12, 12);
        assertThat(SequenceSet.of(1, 2, 3, 4).resolve(20)).containsExactly(1, 4);
        // RFC 3501: 559:* includes the last UID even when 559 is larger than it
        assertThat(SequenceSet.of(559, S).resolve(400)).containsExactly(400, 559);
        assertThat(SequenceSet.of(S, S).resolve(0)).containsExactly(0, 0);
    }

    @Test
    void containsAndFormats() {
        SequenceSet s = SequenceSet.of(2, 4, 10, S);
        assertThat(s.contains(3, 20)).isTrue();
        assertThat(s.contains(5, 20)).isFalse();
        assertThat(s.contains(20, 20)).isTrue();
        assertThat(s.usesStar()).isTrue();
        assertThat(s.toString()).isEqualTo("2:4,10:*");
        assertThat(SequenceSet.format(SequenceSet.of(1, 3, 5, 5).resolve(9))).isEqualTo("1:3,5");
    }
}
