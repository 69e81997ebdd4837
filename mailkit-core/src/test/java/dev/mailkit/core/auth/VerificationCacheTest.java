package dev.mailkit.core.auth;

import dev.mailkit.core.MutableClock;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VerificationCacheTest {
    @Test
    void remembersASuccessUntilItsTimeToLive() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-07T12:00:00Z"));
        VerificationCache c = VerificationCache.of(Duration.ofMinutes(5), 100, clock);
        assertThat(c.verified("alice", "pw".toCharArray(), "H1")).isFalse();
        c.remember("alice", "pw".toCharArray(), "H1");
        assertThat(c.verified("ALICE", "pw".toCharArray(), "H1")).as("login names ignore case").isTrue();
        assertThat(c.verified("alice", "pw2".toCharArray(), "H1")).as("another password").isFalse();
        assertThat(c.verified("bob", "pw".toCharArray(), "H1")).as("another user").isFalse();
        assertThat(c.verified("alice", "pw".toCharArray(), "H2")).as("the stored hash changed").isFalse();
        assertThat(c.verified("alice", "pw".toCharArray(), "H1")).as("a changed hash drops the entry").isFalse();
        c.remember("alice", "pw".toCharArray(), "H1");
        clock.advance(Duration.ofMinutes(5).minusMillis(1));
        assertThat(c.verified("alice", "pw".toCharArray(), "H1")).isTrue();
        clock.advance(Duration.ofMillis(1));
        assertThat(c.verified("alice", "pw".toCharArray(), "H1")).as("expired").isFalse();
        assertThat(c.size()).isZero();
    }

    @Test
    void boundedDroppingTheLeastRecentlyUsed() {
        VerificationCache c = VerificationCache.of(Duration.ofMinutes(5), 3);
        for (String u : new String[] {"a", "b", "c"}) {
            c.remember(u, "pw".toCharArray(), "H");
        }
        assertThat(c.verified("a", "pw".toCharArray(), "H")).isTrue(); // a is now the most recent
        c.remember("d", "pw".toCharArray(), "H");
        assertThat(c.size()).isEqualTo(3);
        assertThat(c.verified("b", "pw".toCharArray(), "H")).isFalse();
        assertThat(c.verified("a", "pw".toCharArray(), "H")).isTrue();
        assertThat(c.verified("d", "pw".toCharArray(), "H")).isTrue();
    }

    @Test
    void disabledRemembersNothing() {
        VerificationCache c = VerificationCache.disabled();
        c.remember("a", "pw".toCharArray(), "H");
        assertThat(c.enabled()).isFalse();
        assertThat(c.verified("a", "pw".toCharArray(), "H")).isFalse();
        assertThat(c.size()).isZero();
        assertThatThrownBy(() -> VerificationCache.of(Duration.ofSeconds(-1), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl");
    }

    /** Neither the password nor anything derived from it without the cache's secret key is kept. */
    @Test
    @SuppressWarnings("unchecked")
    void keepsNoPasswordOrUnkeyedHash() throws Exception {
        VerificationCache c = VerificationCache.defaults();
        c.remember("alice", "correct horse".toCharArray(), "H");
        Field f = VerificationCache.class.getDeclaredField("hits");
        f.setAccessible(true);
        Map<String, ?> hits = (Map<String, ?>) f.get(c);
        String key = hits.keySet().iterator().next();
        assertThat(key).doesNotContain("correct").doesNotContain("alice");
        String sha = java.util.Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("SHA-256")
                .digest("alice\0correct horse".getBytes(StandardCharsets.UTF_8)));
        assertThat(key).isNotEqualTo(sha);
        // another cache (another key) files the same login under another name
        VerificationCache other = VerificationCache.defaults();
        other.remember("alice", "correct horse".toCharArray(), "H");
        Map<String, ?> otherHits = (Map<String, ?>) f.get(other);
        assertThat(otherHits.keySet()).doesNotContain(key);
    }
}
