package dev.mailkit.pop3;

import dev.mailkit.core.MailAddress;
import dev.mailkit.core.auth.MailUser;
import dev.mailkit.core.auth.UserDirectory;
import dev.mailkit.core.server.AuthFailurePenalty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.mailkit.pop3.Pop3Fixture.ANN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Credential guessing (../shared/notes/security.md): identical replies and work for unknown users and wrong
 * passwords, a growing per-address delay before each failure's reply, shared across connections and ports, and
 * disconnection after a few failures.
 */
class GuessingTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private Pop3Fixture fx;
    private final List<String> authenticated = new ArrayList<>();

    @BeforeEach
    void setUp() {
        fx = new Pop3Fixture();
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    /** The fixture's directory, recording every name it is asked to check. */
    private UserDirectory recording() {
        UserDirectory d = fx.users;
        return new UserDirectory() {
            @Override
            public Optional<MailUser> authenticate(String username, char[] password) {
                synchronized (authenticated) {
                    authenticated.add(username);
                }
                return d.authenticate(username, password);
            }

            @Override
            public Optional<MailUser> findByAddress(MailAddress address) {
                return d.findByAddress(address);
            }

            @Override
            public Optional<MailUser> findByUsername(String username) {
                return d.findByUsername(username);
            }
        };
    }

    @Test
    void unknownUserAndWrongPasswordLookTheSameAndCostTheSame() throws Exception {
        Pop3Server s = fx.start(b -> b.users(recording()).maxAuthFailures(10));
        try (Pop3Client c = Pop3Client.connect(s.port())) {
            String userKnown = c.cmd("USER " + ANN);
            String passWrong = c.cmd("PASS wrong");
            String userUnknown = c.cmd("USER nobody@local.test");
            String passUnknown = c.cmd("PASS wrong");
            assertThat(userKnown).isEqualTo(userUnknown).isEqualTo("+OK Send your password");
            assertThat(passWrong).isEqualTo(passUnknown).isEqualTo("-ERR [AUTH] Authentication failed");
            String saslWrong = c.cmd("AUTH PLAIN " + SaslText.plain("", ANN, "wrong"));
            String saslUnknown = c.cmd("AUTH PLAIN " + SaslText.plain("", "nobody@local.test", "wrong"));
            assertThat(saslWrong).isEqualTo(saslUnknown).isEqualTo(passWrong);
        }
        // the directory did the (equally expensive) check for the unknown user too
        assertThat(authenticated).containsExactly(ANN, "nobody@local.test", ANN, "nobody@local.test");
    }

    @Test
    void eachFailureWaitsLongerBeforeItsReply() throws Exception {
        AuthFailurePenalty penalty = AuthFailurePenalty.builder().initialDelay(Duration.ofMillis(150))
                .maxDelay(Duration.ofMillis(600)).build();
        Pop3Server s = fx.start(b -> b.authFailurePenalty(penalty).maxAuthFailures(10));
        try (Pop3Client c = Pop3Client.connect(s.port())) {
            long[] minimum = {150, 300, 600, 600};
            for (int i = 0; i < minimum.length; i++) {
                c.cmd("USER " + ANN);
                long t = System.nanoTime();
                assertThat(c.cmd("PASS guess" + i)).isEqualTo("-ERR [AUTH] Authentication failed");
                assertThat(Duration.ofNanos(System.nanoTime() - t).toMillis()).as("failure %d", i + 1)
                        .isGreaterThanOrEqualTo(minimum[i]);
                assertThat(penalty.failures(LOOPBACK)).isEqualTo(i + 1);
            }
            assertThat(c.login(ANN, "secret")).startsWith("+OK Logged in");
            assertThat(penalty.failures(LOOPBACK)).isZero();
        }
    }

    @Test
    void thePenaltyFollowsTheAddressAcrossConnectionsAndServers() throws Exception {
        AuthFailurePenalty penalty = AuthFailurePenalty.builder().initialDelay(Duration.ofMillis(1))
                .maxDelay(Duration.ofMillis(8)).build();
        Pop3Server a = fx.start(b -> b.authFailurePenalty(penalty));
        Pop3Server b2 = fx.start(b -> b.authFailurePenalty(penalty));
        try (Pop3Client c = Pop3Client.connect(a.port()); Pop3Client d = Pop3Client.connect(b2.port())) {
            c.login(ANN, "x");
            d.login(ANN, "y");
            c.login(ANN, "z");
        }
        assertThat(penalty.failures(LOOPBACK)).isEqualTo(3);
    }

    @Test
    void theConnectionIsClosedAfterThreeFailures() throws Exception {
        Pop3Server s = fx.start();
        try (Pop3Client c = Pop3Client.connect(s.port())) {
            assertThat(c.login(ANN, "a")).isEqualTo("-ERR [AUTH] Authentication failed");
            assertThat(c.cmd("AUTH PLAIN " + SaslText.plain("", ANN, "b")))
                    .isEqualTo("-ERR [AUTH] Authentication failed");
            assertThat(c.login(ANN, "c")).isEqualTo("-ERR [AUTH] Authentication failed");
            assertThat(c.isClosedByServer()).isTrue();
        }
    }

    @Test
    void aFailingDirectoryIsATemporaryErrorNotAFailedLogin() throws Exception {
        UserDirectory broken = new UserDirectory() {
            @Override
            public Optional<MailUser> authenticate(String username, char[] password) {
                throw new IllegalStateException("LDAP is down");
            }

            @Override
            public Optional<MailUser> findByAddress(MailAddress address) {
                return Optional.empty();
            }

            @Override
            public Optional<MailUser> findByUsername(String username) {
                return Optional.empty();
            }
        };
        AuthFailurePenalty penalty = AuthFailurePenalty.builder().initialDelay(Duration.ofMillis(1))
                .maxDelay(Duration.ofMillis(1)).build();
        Pop3Server s = fx.start(b -> b.users(broken).authFailurePenalty(penalty));
        try (Pop3Client c = Pop3Client.connect(s.port())) {
            assertThat(c.login(ANN, "secret"))
                    .isEqualTo("-ERR [SYS/TEMP] Authentication is not available now, try again later");
            assertThat(c.cmd("NOOP")).isEqualTo("-ERR Log in first");
        }
        assertThat(penalty.failures(LOOPBACK)).isZero();
    }

    @Test
    void afterAFailedPassUserMustBeGivenAgain() throws Exception {
        Pop3Server s = fx.start();
        try (Pop3Client c = Pop3Client.connect(s.port())) {
            c.login(ANN, "wrong");
            assertThat(c.cmd("PASS secret")).isEqualTo("-ERR Send USER first");
        }
    }

    @Test
    void closingTheServerInterruptsAPenaltyWait() throws Exception {
        AuthFailurePenalty slow = AuthFailurePenalty.builder().initialDelay(Duration.ofSeconds(30))
                .maxDelay(Duration.ofSeconds(30)).build();
        Pop3Server s = fx.start(b -> b.authFailurePenalty(slow));
        try (Pop3Client c = Pop3Client.connect(s.port())) {
            c.cmd("USER " + ANN);
            c.send("PASS wrong\r\n");
            Await.until("the failure to be recorded", Duration.ofSeconds(10), () -> slow.failures(LOOPBACK) == 1);
            long t = System.nanoTime();
            s.close();
            assertThat(Duration.ofNanos(System.nanoTime() - t)).isLessThan(Duration.ofSeconds(3));
            assertThat(c.isClosedByServer()).isTrue();
        }
    }
}
