package dev.mailkit.scan;

import dev.mailkit.core.sink.InMemorySink;
import dev.mailkit.core.sink.ReceivedMessage;
import dev.mailkit.smtp.SmtpServer;
import dev.mailkit.testsupport.RawClient;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.BiFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Milters that misbehave, speaking the milter protocol on a loopback socket: garbage instead of the negotiation, a
 * milter that dies after MAIL FROM, one that never answers the end of the message, one that asks for header fields
 * with CR and LF inside; and one that refuses a single recipient. The session gets the policy's reply at the stage
 * where the milter failed, nothing is lost, no milter state outlives its session.
 */
class HostileMilterTest {
    /** A milter that negotiates, then answers each command with what {@code reply} says (null: no answer). */
    static FakeDaemon milter(BiFunction<Character, String, List<byte[]>> reply) throws Exception {
        return new FakeDaemon((s, in) -> {
            OutputStream out = s.getOutputStream();
            while (true) {
                byte[] p = FakeDaemon.readMilterPacket(in);
                char cmd = (char) p[0];
                String data = new String(p, 1, p.length - 1, StandardCharsets.ISO_8859_1);
                if (cmd == 'O') {
                    out.write(FakeDaemon.milterPacket('O', new byte[] {0, 0, 0, 6, 0, 0, 0, 0x3f, 0, 0, 0, 0}));
                    continue;
                }
                if (cmd == 'D' || cmd == 'A') {
                    continue;
                }
                if (cmd == 'Q') {
                    return;
                }
                List<byte[]> answers = reply.apply(cmd, data);
                if (answers == null) {
                    FakeDaemon.drain(in); // never answers
                    return;
                }
                for (byte[] a : answers) {
                    out.write(a);
                }
                out.flush();
            }
        });
    }

    static byte[] c() {
        return FakeDaemon.milterPacket('c', new byte[0]);
    }

    static byte[] packet(char cmd, String data) {
        return FakeDaemon.milterPacket(cmd, data.getBytes(StandardCharsets.ISO_8859_1));
    }

    static ScanFilter filter(FakeDaemon fake, FailurePolicy policy) {
        return ScanFilter.builder().hostName("mx.local.test")
                .milter(MilterClient.builder(fake.address()).name("fake").timeout(Duration.ofMillis(400)).build(),
                        ScanOptions.defaults().onFailure(policy)).build();
    }

    static SmtpServer server(InMemorySink sink, ScanFilter filter) {
        return SmtpServer.builder().localDomains("local.test").hostName("mx.local.test").sink(sink).filters(filter)
                .build().start();
    }

    @Test
    void garbageInsteadOfANegotiationIsATemporaryFailureAtMailFrom() throws Exception {
        InMemorySink sink = new InMemorySink();
        try (FakeDaemon fake = new FakeDaemon((s, in) -> {
            FakeDaemon.readMilterPacket(in);
            s.getOutputStream().write("HTTP/1.1 400 What\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        })) {
            ScanFilter filter = filter(fake, FailurePolicy.TEMPFAIL);
            try (SmtpServer smtp = server(sink, filter); RawClient c = new RawClient(smtp.port())) {
                c.readReply();
                c.command("EHLO client.test");
                assertThat(c.command("MAIL FROM:<sender@example.test>")).startsWith("451 4.7.1");
                c.command("QUIT");
            }
            assertThat(fake.awaitAllReleased(Duration.ofSeconds(5))).isTrue();
            assertThat(filter.milterSessions()).isZero();
        }
    }

    @Test
    void aMilterThatDiesAfterMailFromAndOneThatNeverAnswersTheMessage() throws Exception {
        for (char dies : new char[] {'R', 'E'}) {
            InMemorySink sink = new InMemorySink();
            try (FakeDaemon fake = milter((cmd, data) -> cmd == dies ? null : List.of(c()))) {
                ScanFilter filter = filter(fake, FailurePolicy.TEMPFAIL);
                try (SmtpServer smtp = server(sink, filter)) {
                    String reply = Smtp.send(smtp.port(), "sender@example.test", List.of("rcpt@local.test"),
                            Messages.clean());
                    assertThat(reply).startsWith("451 4.7.1");
                    assertThat(sink.messages()).isEmpty();
                }
                assertThat(fake.awaitAllReleased(Duration.ofSeconds(5))).isTrue();
                assertThat(filter.milterSessions()).isZero();
            }
        }
    }

    @Test
    void headerFieldsWithLineBreaksFromAMilterAreNotWritten() throws Exception {
        InMemorySink sink = new InMemorySink();
        try (FakeDaemon fake = milter((cmd, data) -> cmd != 'E' ? List.of(c()) : List.of(
                packet('h', "X-Ok\0fine\0"),
                packet('h', "X-Bad\0a\r\nX-Injected: yes\0"),
                packet('h', "X-Also-Bad\0a\n\nbody injected\0"),
                packet('m', "\0\0\0\1Subject\0changed\r\n\r\nbody injected\0"),
                packet('h', "Bad Name\0x\0"),
                packet('a', "")))) {
            try (SmtpServer smtp = server(sink, filter(fake, FailurePolicy.TEMPFAIL))) {
                assertThat(Smtp.send(smtp.port(), "sender@example.test", List.of("rcpt@local.test"), Messages.clean()))
                        .startsWith("250");
                String text = sink.poll(Duration.ofSeconds(5)).orElseThrow().source().asString();
                assertThat(text).contains("X-Ok: fine\r\n").contains("Subject: Lunch on Friday\r\n")
                        .doesNotContain("X-Injected").doesNotContain("injected").doesNotContain("Bad Name");
            }
        }
    }

    @Test
    void aMilterRefusesOneRecipientAndTheOthersGetTheMessage() throws Exception {
        InMemorySink sink = new InMemorySink();
        try (FakeDaemon fake = milter((cmd, data) -> cmd == 'R' && data.contains("<bad@local.test>")
                ? List.of(packet('y', "550 5.1.1 That user does not want mail\0")) : List.of(c()))) {
            try (SmtpServer smtp = server(sink, filter(fake, FailurePolicy.TEMPFAIL)); RawClient c = new RawClient(
                    smtp.port())) {
                c.readReply();
                c.command("EHLO client.test");
                assertThat(c.command("MAIL FROM:<sender@example.test>")).startsWith("250");
                assertThat(c.command("RCPT TO:<good@local.test>")).startsWith("250");
                assertThat(c.command("RCPT TO:<bad@local.test>")).isEqualTo(
                        "550 5.1.1 That user does not want mail");
                assertThat(c.command("DATA")).startsWith("354");
                assertThat(c.command("Subject: hi\r\n\r\nhello\r\n.")).startsWith("250");
                c.command("QUIT");
            }
            ReceivedMessage m = sink.poll(Duration.ofSeconds(5)).orElseThrow();
            assertThat(m.envelope().recipients()).extracting(Object::toString).containsExactly("good@local.test");
        }
    }

    @Test
    void aMilterThatAsksForADiscardOrAQuarantine(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        FileQuarantine quarantine = FileQuarantine.open(dir);
        InMemorySink sink = new InMemorySink();
        try (FakeDaemon fake = milter((cmd, data) -> cmd != 'E' ? List.of(c())
                : List.of(packet('q', "looks like a phish\0"), c()))) {
            ScanFilter filter = ScanFilter.builder().hostName("mx.local.test").quarantine(quarantine)
                    .milter(MilterClient.builder(fake.address()).name("fake").build()).build();
            try (SmtpServer smtp = server(sink, filter)) {
                assertThat(Smtp.send(smtp.port(), "sender@example.test", List.of("rcpt@local.test"),
                        Messages.clean())).startsWith("250");
            }
        }
        assertThat(sink.messages()).isEmpty();
        assertThat(quarantine.list()).singleElement().satisfies(q -> {
            assertThat(q.reason()).isEqualTo("fake: looks like a phish");
            assertThat(q.envelope().recipients()).extracting(Object::toString).containsExactly("rcpt@local.test");
        });
        QuarantinedMessage held = quarantine.list().get(0);
        try (dev.mailkit.core.MessageSource content = quarantine.content(held.id()).orElseThrow()) {
            assertThat(content.asString()).startsWith("X-Scan-Results: mx.local.test; fake=quarantine\r\n")
                    .contains("Shall we meet at noon");
        }
        InMemorySink released = new InMemorySink();
        assertThat(quarantine.release(held.id(), released).isAllDelivered()).isTrue();
        assertThat(released.messages()).singleElement().satisfies(r ->
                assertThat(r.envelope().reversePathString()).isEqualTo("<sender@example.test>"));
        assertThat(quarantine.list()).isEmpty();
        try (FakeDaemon fake = milter((cmd, data) -> List.of(cmd == 'E' ? packet('d', "") : c()))) {
            try (SmtpServer smtp = server(sink, filter(fake, FailurePolicy.TEMPFAIL))) {
                assertThat(Smtp.send(smtp.port(), "sender@example.test", List.of("rcpt@local.test"),
                        Messages.clean())).startsWith("250");
            }
        }
        assertThat(sink.messages()).isEmpty();
    }
}
