package dev.mailkit.core.server;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuthFailurePenaltyTest {
    static final class TestClock extends Clock {
        final AtomicLong millis = new AtomicLong(1_000_000);

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }
    }

    @Test
    void defaultsDoubleFromTwoSecondsToFifteen() throws Exception {
        TestClock clock = new TestClock();
        AuthFailurePenalty p = AuthFailurePenalty.builder().clock(clock).build();
        InetAddress a = InetAddress.getByName("192.0.2.1");
        InetAddress b = InetAddress.getByName("192.0.2.2");
        assertThat(p.recordFailure(a)).isEqualTo(Duration.ofSeconds(2));
        assertThat(p.recordFailure(a)).isEqualTo(Duration.ofSeconds(4));
        assertThat(p.recordFailure(a)).isEqualTo(Duration.ofSeconds(8));
        assertThat(p.recordFailure(a)).isEqualTo(Duration.ofSeconds(15));
        assertThat(p.recordFailure(a)).isEqualTo(Duration.ofSeconds(15));
        assertThat(p.recordFailure(b)).as("other addresses are not affected").isEqualTo(Duration.ofSeconds(2));
        p.recordSuccess(a);
        assertThat(p.recordFailure(a)).isEqualTo(Duration.ofSeconds(2));
        clock.millis.addAndGet(Duration.ofMinutes(16).toMillis());
        assertThat(p.failures(b)).isZero();
        assertThat(p.recordFailure(b)).as("forgotten after a quiet period").isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void memoryIsBounded() throws Exception {
        AuthFailurePenalty p = AuthFailurePenalty.builder().maxTracked(100).build();
        for (int i = 0; i < 1000; i++) {
            p.recordFailure(InetAddress.getByAddress(new byte[] {10, 0, (byte) (i >> 8), (byte) i}));
        }
        java.lang.reflect.Field f = AuthFailurePenalty.class.getDeclaredField("failures");
        f.setAccessible(true);
        assertThat(((java.util.Map<?, ?>) f.get(p)).size()).isLessThanOrEqualTo(100);
    }

    @Test
    void validation() {
        assertThatThrownBy(() -> AuthFailurePenalty.builder().initialDelay(Duration.ofSeconds(5))
                .maxDelay(Duration.ofSeconds(1)).build()).hasMessageContaining("maxDelay");
        assertThat(AuthFailurePenalty.none().delayFor(5)).isZero();
    }

    @Test
    void connectionLimiterCountsTotalAndPerAddress() throws Exception {
        ConnectionLimiter l = new ConnectionLimiter(3, 2);
        InetAddress a = InetAddress.getByName("192.0.2.1");
        InetAddress b = InetAddress.getByName("192.0.2.2");
        ConnectionLimiter.Permit a1 = l.acquire(a);
        ConnectionLimiter.Permit a2 = l.acquire(a);
        ConnectionLimiter.Permit a3 = l.acquire(a);
        assertThat(a1.isGranted()).isTrue();
        assertThat(a2.isGranted()).isTrue();
        assertThat(a3.refusal()).isEqualTo(ConnectionLimiter.Refusal.PER_ADDRESS);
        ConnectionLimiter.Permit b1 = l.acquire(b);
        assertThat(b1.isGranted()).isTrue();
        assertThat(l.acquire(b).refusal()).isEqualTo(ConnectionLimiter.Refusal.TOTAL);
        a1.close();
        a1.close(); // idempotent
        a3.close(); // a refusal releases nothing
        assertThat(l.active()).isEqualTo(2);
        assertThat(l.active(a)).isEqualTo(1);
        assertThat(l.acquire(b).isGranted()).isTrue();
    }
}
