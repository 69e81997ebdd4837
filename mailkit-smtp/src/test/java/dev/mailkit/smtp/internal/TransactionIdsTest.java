package dev.mailkit.smtp.internal;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class TransactionIdsTest {
    @Test
    void base36IsTheJdksUpperCasedAndPadded() {
        Random random = new Random(36);
        for (int i = 0; i < 100_000; i++) {
            long n = i < 2000 ? i : random.nextLong() & Long.MAX_VALUE;
            String jdk = Long.toString(n, 36).toUpperCase(Locale.ROOT);
            assertThat(TransactionIds.base36(n, 1)).isEqualTo(jdk);
            assertThat(TransactionIds.base36(n, 4)).isEqualTo("0".repeat(Math.max(0, 4 - jdk.length())) + jdk);
        }
    }

    @Test
    void idsAreThePrefixOfTheStartSecondAndAPaddedCounterAndNeverRepeat() {
        TransactionIds ids = new TransactionIds(1_765_162_176_000L);
        String prefix = Long.toString(1_765_162_176L % (36L * 36 * 36 * 36 * 36 * 36), 36).toUpperCase(Locale.ROOT);
        assertThat(ids.next()).isEqualTo(prefix + "0001");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 50_000; i++) {
            assertThat(seen.add(ids.next())).isTrue();
        }
        assertThat(ids.next()).isEqualTo(prefix + Long.toString(50_002, 36).toUpperCase(Locale.ROOT));
    }
}
