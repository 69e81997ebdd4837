package dev.mailkit.smtp;

import dev.mailkit.core.auth.InMemoryUserDirectory;
import dev.mailkit.core.server.AuthFailurePenalty;
import dev.mailkit.core.sink.InMemorySink;
import dev.mailkit.core.sink.ReceivedMessage;
import dev.mailkit.core.tls.TlsConfig;
import dev.mailkit.testsupport.RawClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Each class of hostile input in shared/notes/security.md that applies to the SMTP receiver, sent as bytes. */
class SmtpSecurityTest {
    static final TlsConfig TLS = TlsConfig.selfSigned();

    static String plain(String user, String pw) {
        return Base64.getEncoder().encodeToString(("\0" + user + "\0" + pw).getBytes(StandardCharsets.UTF_8));
    }

    /** A payload that hides a second transaction behind a non-standard end of data. */
    static String smuggle(String fakeEnd) {
        return "Subject: first\r\n\r\nhello" + fakeEnd
                + "MAIL FROM:<attacker@evil.test>\r\nRCPT TO:<victim@local.test>\r\nDATA\r\n"
                + "Subject: smuggled\r\n\r\nevil\r\n.\r\n";
    }

    @ParameterizedTest
    @ValueSource(strings = {"\n.\n", "\r\n.\n", "\n.\r\n", "\r.\r\n", "\r\n.\r"})
    void smugglingInDataIsRefusedAndNoSecondMessageAppears(String fakeEnd) throws Exception {
        InMemorySink sink = new InMemorySink();
        try (SmtpServer s = SmtpTesting.mx(sink).build().start(); RawClient c = new RawClient(s.port())) {
            c.readReply();
            c.command("EHLO client.test");
            c.command("MAIL FROM:<a@remote.test>");
            c.command("RCPT TO:<alice@local.test>");
            assertThat(c.command("DATA")).startsWith("354");
            c.send(smuggle(fakeEnd) + "NOOP\r\n");
            assertThat(c.readReply()).startsWith("550 5.6.0 Message contains a bare CR or LF");
            assertThat(c.readReply()).as("the smuggled commands were content, not commands")
                    .isEqualTo("250 2.0.0 OK");
            assertThat(c.command("QUIT")).startsWith("221");
        }
        assertThat(sink.count()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\n.\n", "\r\n.\n", "\r.\r\n"})
    void normalisingModeStoresOneMessageWithOnlyCrlf(String fakeEnd) throws Exception {
        InMemorySink sink = new InMemorySink();
        try (SmtpServer s = SmtpTesting.mx(sink).bareLineEndings(BareLineEndings.NORMALIZE).build().start();
             RawClient c = new RawClient(s.port())) {
            c.readReply();
            c.command("EHLO client.test");
            c.command("MAIL FROM:<a@remote.test>");
            c.command("RCPT TO:<alice@local.test>");
            c.command("DATA");
            c.send(smuggle(fakeEnd) + "NOOP\r\n");
            assertThat(c.readReply()).startsWith("250 2.0.0 Ok");
            assertThat(c.readReply()).isEqualTo("250 2.0.0 OK");
        }
        List<ReceivedMessage> all = SmtpTesting.await(sink, 1);
        assertThat(all).hasSize(1);
        String text = all.get(0).source().asString();
        assertThat(text.replace("\r\n", "")).doesNotContain("\r").doesNotContain("\n");
        assertThat(all.get(0).envelope().recipients()).extracting(Object::toString).containsExactly("alice@local.test");
        assertThat(text).contains("Subject: smuggled"); // as content of the one message
    }

    @Test
    void smugglingInBdatIsRefused() throws Exception {
        InMemorySink sink = new InMemorySink();
        try (SmtpServer s = SmtpTesting.mx(sink).build().start(); RawClient c = new RawClient(s.port())) {
            c.readReply();
            c.command("EHLO client.test");
            c.command("MAIL FROM:<a@remote.test>");
            c.command("RCPT TO:<alice@local.test>");
            String chunk = smuggle("\n.\n");
            c.send("BDAT " + chunk.length() + " LAST\r\n" + chunk);
            assertThat(c.readReply()).startsWith("550 5.6.0");
            assertThat(c.command("NOOP")).isEqualTo("250 2.0.0 OK");
        }
        assertThat(sink.count()).isZero();
    }

    /** A refused BDAT still consumes its octets: chunk data is never read as commands. */
    @Test
    void refusedBdatChunksAreDrainedNotExecuted() throws Exception {
        InMemorySink sink = new InMemorySink();
        try (SmtpServer s = SmtpTesting.mx(sink).maxMessageSize(50).build().start(); RawClient c = new RawClient(s.port())) {
            c.readReply();
            c.command("EHLO client.test");
            String inner = "MAIL FROM:<x@evil.test>\r\nRCPT TO:<alice@local.test>\r\n";
            c.send("BDAT " + inner.length() + "\r\n" + inner + "NOOP\r\n");
            assertThat(c.readReply()).isEqualTo("503 5.5.1 Send MAIL first");
            assertThat(c.readReply()).isEqualTo("250 2.0.0 OK");
            c.command("MAIL FROM:<a@remote.test>");
            c.command("RCPT TO:<alice@local.test>");
            String big = "X-Big: " + "y".repeat(100) + "\r\n\r\n";
            c.send("BDAT " + big.length() + "\r\n" + big);
            assertThat(c.readReply()).startsWith("552 5.3.4");
            c.send("BDAT " + inner.length() + " LAST\r\n" + inner);
            assertThat(c.readReply()).as("the failed transaction's later chunks are drained").isEqualTo("503 5.5.1 Send MAIL first");
            assertThat(c.command("BDAT x")).startsWith("501 5.5.4");
            assertThat(c.isClosedByServer()).isTrue();
        }
        assertThat(sink.count()).isZero();
    }

    /** The oversized body is drained and refused with 552 (never 421), and its lines are not run as commands. */
    @Test
    void oversizeIsDrainedThenRefusedPermanently() throws Exception {
        InMemorySink sink = new InMemorySink();
        try (SmtpServer s = SmtpTesting.mx(sink).maxMessageSize(1000).build().start(); RawClient c = new RawClient(s.port())) {
            c.readReply();
            c.command("EHLO client.test");
            c.command("MAIL FROM:<a@remote.test>");
            c.command("RCPT TO:<alice@local.test>");
            c.command("DATA");
            StringBuilder body = new StringBuilder("Subject: big\r\n\r\n");
            for (int i = 0; i < 200; i++) {
                body.append("MAIL FROM:<line").append(i).append("@evil.test>\r\n");
            }
            c.send(body + ".\r\nNOOP\r\n");
            assertThat(c.readReply()).isEqualTo("552 5.3.4 Message size exceeds fixed limit of 1000 octets");
            assertThat(c.readReply()).isEqualTo("250 2.0.0 OK");
            assertThat(c.command("MAIL FROM:<a@remote.test>")).as("the session goes on").startsWith("250");
        }
        assertThat(sink.count()).isZero();
    }

    @Test
    void firstLineDotStuffingIsUndone() throws Exception {
        InMemorySink sink = new InMemorySink();
        try (SmtpServer s = SmtpTesting.mx(sink).build().start(); RawClient c = new RawClient(s.port())) {
            c.readReply();
            c.command("EHLO client.test");
            c.command("MAIL FROM:<a@remote.test>");
            c.command("RCPT TO:<alice@local.test>");
            c.command("DATA");
            c.send("..leading dot on the first line\r\n\r\n..and in the body\r\n.\r\n");
            assertThat(c.readReply()).startsWith("250");
        }
        assertThat(SmtpTesting.await(sink, 1).get(0).source().asString())
                .endsWith("\r\n.leading dot on the first line\r\n\r\n.and in the body\r\n");
    }

    /** Plaintext pipelined behind STARTTLS must not run inside the TLS session (CVE-2011-0411 class). */
    @Test
    void plaintextPipelinedAfterStartTlsIsDiscarded() throws Exception {
        InMemorySink sink = new InMemorySink();
        try (SmtpServer s = SmtpTesting.mx(sink).tls(TLS).build().start(); RawClient c = new RawClient(s.port())) {
            c.readReply();
            assertThat(c.command("EHLO client.test")).contains("250 STARTTLS");
            c.send("STARTTLS\r\nMAIL FROM:<injected@evil.test>\r\n");
            assertThat(c.readReply()).isEqualTo("220 2.0.0 Ready to start TLS");
            c.startTls(TLS.clientSslContext());
            assertThat(c.command("MAIL FROM:<a@remote.test>")).as("injected EHLO state is gone too")
                    .isEqualTo("503 5.5.1 Send EHLO or HELO first");
            String ehlo = c.command("EHLO client.test");
            assertThat(ehlo).doesNotContain("STARTTLS");
            assertThat(c.command("MAIL FROM:<a@remote.test>")).startsWith("250");
            assertThat(c.command("RCPT TO:<alice@local.test>")).startsWith("250");
            c.command("DATA");
            c.send("Subject: over tls\r\n\r\nx\r\n.\r\n");
            assertThat(c.readReply()).startsWith("250");
            assertThat(c.command("STARTTLS")).isEqualTo("503 5.5.1 TLS is already active");
        }
        ReceivedMessage m = SmtpTesting.await(sink, 1).get(0);
        assertThat(m.envelope().tls()).isPresent();
        assertThat(m.envelope().protocol()).isEqualTo("ESMTPS");
        assertThat(m.source().asString()).contains("(using TLSv1.3 with cipher");
    }

    @Test
    void submissionRequiresTlsBeforeAuthAndRefusesStartTlsAfterAuth() throws Exception {
        InMemorySink sink = new InMemorySink();
        InMemoryUserDirectory users = SmtpTesting.users();
        try (SmtpServer s = SmtpServer.builder().submission(0).users(users).tls(TLS).sink(sink)
                .authFailurePenalty(AuthFailurePenalty.none()).build().start();
             RawClient c = new RawClient(s.port())) {
            c.readReply();
            String ehlo = c.command("EHLO client.test");
            assertThat(ehlo).contains("STARTTLS").doesNotContain("AUTH");
            assertThat(c.command("AUTH PLAIN " + plain("alice@local.test", "alice-secret")))
                    .startsWith("538 5.7.11 Encryption required");
            assertThat(c.command("MAIL FROM:<alice@local.test>")).isEqualTo("530 5.7.0 Must issue a STARTTLS command first");
        }
        // with requireTlsForLogin(false) (tests only), AUTH works in plaintext, and STARTTLS afterwards is refused
        try (SmtpServer s = SmtpServer.builder().submission(0).users(users).tls(TLS).requireTlsForLogin(false).sink(sink)
                .authFailurePenalty(AuthFailurePenalty.none()).build().start();
             RawClient c = new RawClient(s.port())) {
            c.readReply();
            assertThat(c.command("EHLO client.test")).contains("AUTH PLAIN LOGIN");
            assertThat(c.command("AUTH PLAIN " + plain("alice@local.test", "alice-secret")))
                    .isEqualTo("235 2.7.0 Authentication successful");
            assertThat(c.command("STARTTLS")).isEqualTo("503 5.5.1 STARTTLS is not allowed after AUTH");
            assertThat(c.command("AUTH PLAIN " + plain("alice@local.test", "alice-secret")))
                    .isEqualTo("503 5.5.1 Already authenticated");
        }
    }

    @Test
    void badHeloNamesAndControlCharactersAreRefused() throws Exception {
        InMemorySink sink = new InMemorySink();
        try (SmtpServer s = SmtpTesting.mx(sink).build().start()) {
            try (RawClient c = new RawClient(s.port())) {
                c.readReply();
                assertThat(c.command("EHLO bad\u0000name")).isEqualTo(
                        "501 5.5.2 Invalid host name: use a domain or an address literal such as [192.0.2.1]");
                assertThat(c.command("EHLO two words")).startsWith("501 5.5.2");
                assertThat(c.command("EHLO [127.0.0.1]")).startsWith("250-");
                assertThat(c.command("MAIL FROM:<a\u0000b@remote.test>")).startsWith("501 5.1.7");
                assertThat(c.command("MAIL FROM:<a@remote.test>")).startsWith("250");
                assertThat(c.command("RCPT TO:<alice@local\u0001.test>")).startsWith("501 5.1.3");
            }
            try (RawClient c = new RawClient(s.port())) {
                c.readReply();
                c.send("EHLO evil\nX-Injected: yes\r\n");
                assertThat(c.readReply()).startsWith("500 5.5.2 Bare CR or LF in command line");
                assertThat(c.isClosedByServer()).isTrue();
            }
            try (RawClient c = new RawClient(s.port())) {
                c.readReply();
                c.send("EHLO " + "a".repeat(2000) + "\r\n");
                assertThat(c.readReply()).startsWith("500 5.5.2 Command line too long");
                assertThat(c.isClosedByServer()).isTrue();
            }
        }
        assertThat(sink.count()).isZero();
    }

    /** Open-relay tricks: nothing is routed, nothing remote is accepted, nothing is stored. */
    @ParameterizedTest
    @ValueSource(strings = {
            "<user%remote.test@local.test>", "<\"user@remote.test\"@local.test>", "<@local.test:user@remote.test>",
            "<remote.test!user@local.test>", "<user@[192.0.2.1]>", "<user@[127.0.0.1]>", "<user@REMOTE.test>",
            "<user@local.test.remote.test>", "<user@remote.test.>"})
    void openRelayTricksAreRefused(String rcpt) throws Exception {
        InMemorySink sink = new InMemorySink();
        try (SmtpServer s = SmtpTesting.mx(sink).recipientPolicy(RecipientPolicy.existingUsers(SmtpTesting.users()))
                .build().start(); RawClient c = new RawClient(s.port())) {
            c.readReply();
            c.command("EHLO client.test");
            c.command("MAIL FROM:<a@remote.test>");
            String reply = c.command("RCPT TO:" + rcpt);
            assertThat(reply).matches("(554 5\\.7\\.1|550 5\\.1\\.1|501 5\\.1\\.3) .*");
            assertThat(c.command("DATA")).isEqualTo("554 5.5.1 No valid recipients");
        }
        assertThat(sink.count()).isZero();
    }

    @Test
    void failedAuthIsDelayedMoreEachTimeAndRepliesAreIdentical() throws Exception {
        AuthFailurePenalty penalty = AuthFailurePenalty.builder().initialDelay(Duration.ofMillis(150))
                .maxDelay(Duration.ofSeconds(2)).build();
        try (SmtpServer s = SmtpServer.builder().submission(0).users(SmtpTesting.users()).requireTlsForLogin(false)
                .sink(new InMemorySink()).authFailurePenalty(penalty).maxAuthFailures(3).build().start();
             RawClient c = new RawClient(s.port())) {
            c.readReply();
            c.command("EHLO client.test");
            List<Long> times = new ArrayList<>();
            List<String> replies = new ArrayList<>();
            for (String[] attempt : new String[][] {{"alice@local.test", "wrong"}, {"nobody@local.test", "wrong"}}) {
                long t0 = System.nanoTime();
                replies.add(c.command("AUTH PLAIN " + plain(attempt[0], attempt[1])));
                times.add((System.nanoTime() - t0) / 1_000_000);
            }
            assertThat(replies).containsOnly("535 5.7.8 Authentication credentials invalid");
            assertThat(times.get(0)).isGreaterThanOrEqualTo(150);
            assertThat(times.get(1)).isGreaterThanOrEqualTo(300);
            c.send("AUTH LOGIN\r\n");
            assertThat(c.readReply()).isEqualTo("334 VXNlcm5hbWU6");
            c.send(Base64.getEncoder().encodeToString("alice@local.test".getBytes(StandardCharsets.US_ASCII)) + "\r\n");
            assertThat(c.readReply()).isEqualTo("334 UGFzc3dvcmQ6");
            long t0 = System.nanoTime();
            c.send(Base64.getEncoder().encodeToString("nope".getBytes(StandardCharsets.US_ASCII)) + "\r\n");
            assertThat(c.readReply()).isEqualTo("421 4.7.0 Too many failed authentication attempts, closing connection");
            assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(600);
            assertThat(c.isClosedByServer()).isTrue();
        }
    }

    @Test
    void authEdgeCases() throws Exception {
        try (SmtpServer s = SmtpServer.builder().submission(0).users(SmtpTesting.users()).requireTlsForLogin(false)
                .sink(new InMemorySink()).authFailurePenalty(AuthFailurePenalty.none()).maxAuthFailures(10)
                .build().start(); RawClient c = new RawClient(s.port())) {
            c.readReply();
            c.command("EHLO client.test");
            assertThat(c.command("AUTH CRAM-MD5")).startsWith("504 5.5.4");
            assertThat(c.command("AUTH PLAIN !!!notbase64")).startsWith("501 5.5.2");
            c.send("AUTH PLAIN\r\n");
            assertThat(c.readReply()).isEqualTo("334 ");
            assertThat(c.command("*")).isEqualTo("501 5.7.0 Authentication cancelled");
            String authzMismatch = Base64.getEncoder().encodeToString(
                    "bob@local.test\0alice@local.test\0alice-secret".getBytes(StandardCharsets.UTF_8));
            assertThat(c.command("AUTH PLAIN " + authzMismatch)).startsWith("535 5.7.8");
            assertThat(c.command("MAIL FROM:<alice@local.test>")).isEqualTo("530 5.7.0 Authentication required");
            assertThat(c.command("AUTH PLAIN " + plain("ALICE@local.test", "alice-secret"))).startsWith("235");
            assertThat(c.command("MAIL FROM:<alice@local.test>")).startsWith("250");
            assertThat(c.command("AUTH PLAIN " + plain("bob@local.test", "bob-secret")))
                    .isEqualTo("503 5.5.1 Already authenticated");
        }
    }

    @Test
    void connectionLimitsPerAddress() throws Exception {
        try (SmtpServer s = SmtpTesting.mx(new InMemorySink()).maxConnectionsPerAddress(2).build().start();
             RawClient a = new RawClient(s.port()); RawClient b = new RawClient(s.port())) {
            assertThat(a.readReply()).startsWith("220");
            assertThat(b.readReply()).startsWith("220");
            try (RawClient third = new RawClient(s.port())) {
                assertThat(third.readReply()).isEqualTo("421 4.7.0 Too many connections from your address, try again later");
                assertThat(third.isClosedByServer()).isTrue();
            }
            a.command("QUIT");
            // 221 is written before the session ends and gives its place back: wait for that, not for luck
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (s.connectionCount() > 1 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(s.connectionCount()).as("sessions left after QUIT and the refusal").isEqualTo(1);
            try (RawClient again = new RawClient(s.port())) {
                assertThat(again.readReply()).startsWith("220");
            }
        }
    }

    @Test
    void slowClientsAreTimedOut() throws Exception {
        try (SmtpServer s = SmtpTesting.mx(new InMemorySink()).idleTimeout(Duration.ofMillis(300)).build().start();
             RawClient c = new RawClient(s.port())) {
            c.readReply();
            assertThat(c.readReply()).isEqualTo("421 4.4.2 Timeout waiting for data from client, closing connection");
            assertThat(c.isClosedByServer()).isTrue();
        }
        try (SmtpServer s = SmtpTesting.mx(new InMemorySink()).sessionTimeout(Duration.ofMillis(400)).build().start();
             RawClient c = new RawClient(s.port())) {
            c.readReply();
            long t0 = System.nanoTime();
            boolean closed = false;
            while (!closed && System.nanoTime() - t0 < Duration.ofSeconds(10).toNanos()) {
                try {
                    // a client that keeps talking still hits the session deadline
                    closed = c.command("NOOP") == null;
                } catch (java.io.IOException e) {
                    closed = true;
                }
            }
            assertThat(closed).isTrue();
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(10_000);
        }
    }
}
