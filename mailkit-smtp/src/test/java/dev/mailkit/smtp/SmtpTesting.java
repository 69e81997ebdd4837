package dev.mailkit.smtp;

import dev.mailkit.core.auth.InMemoryUserDirectory;
import dev.mailkit.core.server.AuthFailurePenalty;
import dev.mailkit.core.sink.InMemorySink;
import dev.mailkit.core.sink.ReceivedMessage;

import java.time.Duration;
import java.util.List;

/** Shared set-up for the SMTP tests (and, through the test jar, the relay's tests of the receiver). */
public final class SmtpTesting {
    private SmtpTesting() {
    }

    /** Two users, alice and bob, with cheap hashes. */
    public static InMemoryUserDirectory users() {
        return InMemoryUserDirectory.builder().passwordHashIterations(1000)
                .user("alice@local.test", "alice-secret")
                .user("bob@local.test", "bob-secret")
                .build();
    }

    /** An MX server for local.test with no delays, recording into the sink. */
    public static SmtpServer.Builder mx(InMemorySink sink) {
        return SmtpServer.builder().localDomains("local.test").sink(sink)
                .authFailurePenalty(AuthFailurePenalty.none());
    }

    /** Waits for n messages (10 s) or fails listing what arrived. */
    public static List<ReceivedMessage> await(InMemorySink sink, int n) throws InterruptedException {
        if (!sink.await(n, Duration.ofSeconds(10))) {
            throw new AssertionError("expected " + n + " messages, got " + sink.messages());
        }
        return sink.messages();
    }
}
