package dev.mailkit.smtp;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.SmtpReply;
import dev.mailkit.core.filter.FilterVerdict;
import dev.mailkit.core.filter.MailFilter;
import dev.mailkit.core.filter.SessionInfo;
import dev.mailkit.core.sink.DeliveryReport;
import dev.mailkit.core.sink.InMemorySink;
import dev.mailkit.core.sink.MessageSink;
import dev.mailkit.testsupport.RawClient;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Filters at every stage, and how the sink's answer becomes the reply. */
class FilterAndSinkTest {
    static String send(RawClient c, String from, String to) throws IOException {
        c.command("EHLO client.test");
        String r = c.command("MAIL FROM:<" + from + ">");
        if (!r.startsWith("250")) {
            return r;
        }
        r = c.command("RCPT TO:<" + to + ">");
        if (!r.startsWith("250")) {
            return r;
        }
        c.command("DATA");
        c.send("Subject: t\r\n\r\nbody\r\n.\r\n");
        return c.readReply();
    }

    @Test
    void filtersRunAtEachStageInOrder() throws Exception {
        List<String> calls = new ArrayList<>();
        MailFilter recorder = new MailFilter() {
            @Override
            public FilterVerdict onConnect(SessionInfo s) {
                calls.add("connect " + s.clientAddress().getAddress().getHostAddress());
                return FilterVerdict.accept();
            }

            @Override
            public FilterVerdict onHelo(SessionInfo s, String helo) {
                calls.add("helo " + helo);
                return FilterVerdict.accept();
            }

            @Override
            public FilterVerdict onMailFrom(SessionInfo s, Optional<MailAddress> from, Map<String, String> p) {
                calls.add("mail " + from.map(Object::toString).orElse("<>"));
                return from.map(a -> a.domain().equals("spam.test")).orElse(false)
                        ? FilterVerdict.reject(550, "5.7.1", "Sender blocked") : FilterVerdict.accept();
            }

            @Override
            public FilterVerdict onRcptTo(SessionInfo s, MailAddress r, Map<String, String> p) {
                calls.add("rcpt " + r);
                return r.localPart().equals("busy") ? FilterVerdict.tempFail(450, "4.2.1", "Mailbox busy")
                        : FilterVerdict.accept();
            }

            @Override
            public FilterVerdict onData(SessionInfo s, Envelope e, MessageSource m) {
                calls.add("data " + m.headers().getHeader("Subject", null));
                return FilterVerdict.addHeader("X-Checked", "yes, by recorder");
            }
        };
        MailFilter second = new MailFilter() {
            @Override
            public FilterVerdict onData(SessionInfo s, Envelope e, MessageSource m) {
                return FilterVerdict.addHeader("X-Second", "ok");
            }
        };
        InMemorySink sink = new InMemorySink();
        try (SmtpServer s = SmtpTesting.mx(sink).filters(recorder, second).build().start();
             RawClient c = new RawClient(s.port())) {
            c.readReply();
            assertThat(send(c, "bad@spam.test", "a@local.test")).isEqualTo("550 5.7.1 Sender blocked");
            c.command("RSET");
            c.command("MAIL FROM:<good@remote.test>");
            assertThat(c.command("RCPT TO:<busy@local.test>")).isEqualTo("450 4.2.1 Mailbox busy");
            c.command("RSET");
            assertThat(send(c, "good@remote.test", "a@local.test")).startsWith("250 2.0.0 Ok");
        }
        assertThat(calls).containsSubsequence("connect 127.0.0.1", "helo client.test", "mail bad@spam.test",
                "mail good@remote.test", "rcpt busy@local.test", "rcpt a@local.test", "data t");
        String text = SmtpTesting.await(sink, 1).get(0).source().asString();
        assertThat(text).startsWith("Received: ");
        assertThat(text).contains("\r\nX-Checked: yes, by recorder\r\nX-Second: ok\r\nSubject: t\r\n");
    }

    @Test
    void connectRejectionAndBrokenFiltersNeverLoseMail() throws Exception {
        MailFilter closed = new MailFilter() {
            @Override
            public FilterVerdict onConnect(SessionInfo s) {
                return FilterVerdict.reject(554, "5.7.1", "No SMTP service here");
            }
        };
        try (SmtpServer s = SmtpTesting.mx(new InMemorySink()).filters(closed).build().start();
             RawClient c = new RawClient(s.port())) {
            assertThat(c.readReply()).isEqualTo("554 5.7.1 No SMTP service here");
            assertThat(c.isClosedByServer()).isTrue();
        }
        MailFilter broken = new MailFilter() {
            @Override
            public FilterVerdict onData(SessionInfo s, Envelope e, MessageSource m) {
                throw new IllegalStateException("bug in a filter");
            }
        };
        InMemorySink sink = new InMemorySink();
        try (SmtpServer s = SmtpTesting.mx(sink).filters(broken).build().start(); RawClient c = new RawClient(s.port())) {
            c.readReply();
            assertThat(send(c, "a@remote.test", "x@local.test")).isEqualTo("451 4.3.0 Temporary local problem, try again later");
        }
        assertThat(sink.count()).isZero();
    }

    @Test
    void sinkFailuresBecomeTheRightReplies() throws Exception {
        MessageSink failing = (e, m) -> {
            throw new IOException("disk full");
        };
        try (SmtpServer s = SmtpTesting.mx(new InMemorySink()).sink(failing).build().start();
             RawClient c = new RawClient(s.port())) {
            c.readReply();
            assertThat(send(c, "a@remote.test", "x@local.test"))
                    .isEqualTo("451 4.3.0 Temporary failure storing the message, try again later");
        }
        MessageSink partial = (e, m) -> DeliveryReport.builder()
                .failed(e.recipients().get(1), SmtpReply.of(452, "4.2.2", "Mailbox full")).build();
        try (SmtpServer s = SmtpTesting.mx(new InMemorySink()).sink(partial).build().start();
             RawClient c = new RawClient(s.port())) {
            c.readReply();
            c.command("EHLO client.test");
            c.command("MAIL FROM:<a@remote.test>");
            c.command("RCPT TO:<ok@local.test>");
            c.command("RCPT TO:<full@local.test>");
            c.command("DATA");
            c.send("Subject: t\r\n\r\nx\r\n.\r\n");
            assertThat(c.readReply()).matches("250 2\\.0\\.0 Ok: queued as \\w+, but not for <full@local.test> \\(452 4\\.2\\.2\\)");
        }
        MessageSink allFailed = (e, m) -> DeliveryReport.builder()
                .failed(e.recipients().get(0), SmtpReply.of(550, "5.1.1", "gone")).build();
        try (SmtpServer s = SmtpTesting.mx(new InMemorySink()).sink(allFailed).build().start();
             RawClient c = new RawClient(s.port())) {
            c.readReply();
            assertThat(send(c, "a@remote.test", "x@local.test")).isEqualTo("550 5.1.1 gone");
        }
    }

    @Test
    void sinkCanRefuseAtRcptTime() throws Exception {
        InMemorySink recorded = new InMemorySink();
        MessageSink quota = new MessageSink() {
            @Override
            public DeliveryReport deliver(Envelope envelope, MessageSource message) {
                return recorded.deliver(envelope, message);
            }

            @Override
            public Optional<SmtpReply> checkRecipient(Envelope t, MailAddress r) {
                return r.localPart().equals("full") ? Optional.of(SmtpReply.of(452, "4.2.2", "Mailbox full"))
                        : Optional.empty();
            }
        };
        try (SmtpServer s = SmtpTesting.mx(new InMemorySink()).sink(quota).build().start();
             RawClient c = new RawClient(s.port())) {
            c.readReply();
            assertThat(send(c, "a@remote.test", "full@local.test")).isEqualTo("452 4.2.2 Mailbox full");
        }
        assertThat(recorded.count()).isZero();
    }

    @Test
    void onMessageListenerAndAcceptAllDomains() throws Exception {
        List<Envelope> got = new ArrayList<>();
        try (SmtpServer s = SmtpServer.builder().acceptAllDomains().onMessage((e, m) -> got.add(e)).build().start();
             RawClient c = new RawClient(s.port())) {
            c.readReply();
            assertThat(send(c, "a@remote.test", "anyone@any-domain.test")).startsWith("250");
            assertThat(send(c, "a@remote.test", "x@[127.0.0.1]")).as("address literals are never local")
                    .startsWith("554 5.7.1");
        }
        assertThat(got).hasSize(1);
    }

    @Test
    void disconnectAnd421CloseTheConnection() throws Exception {
        MailFilter dropAtData = new MailFilter() {
            @Override
            public FilterVerdict onData(SessionInfo s, Envelope e, MessageSource m) {
                return FilterVerdict.disconnect();
            }

            @Override
            public FilterVerdict onRcptTo(SessionInfo s, MailAddress r, Map<String, String> p) {
                return r.localPart().equals("shutdown") ? FilterVerdict.tempFail(421, "4.3.2", "Going down")
                        : FilterVerdict.accept();
            }
        };
        InMemorySink sink = new InMemorySink();
        try (SmtpServer s = SmtpTesting.mx(sink).filters(dropAtData).build().start()) {
            try (RawClient c = new RawClient(s.port())) {
                c.readReply();
                c.command("EHLO client.test");
                c.command("MAIL FROM:<a@remote.test>");
                c.command("RCPT TO:<x@local.test>");
                c.command("DATA");
                c.send("Subject: t\r\n\r\nbody\r\n.\r\n");
                assertThat(c.readReply()).as("no reply at all").isNull();
            }
            try (RawClient c = new RawClient(s.port())) {
                c.readReply();
                c.command("EHLO client.test");
                c.command("MAIL FROM:<a@remote.test>");
                assertThat(c.command("RCPT TO:<shutdown@local.test>")).isEqualTo("421 4.3.2 Going down");
                assertThat(c.isClosedByServer()).isTrue();
            }
        }
        assertThat(sink.count()).isZero();
    }

    @Test
    void filtersCanReadTheTranscript() throws Exception {
        List<String> seen = new ArrayList<>();
        MailFilter f = new MailFilter() {
            @Override
            public FilterVerdict onData(SessionInfo s, Envelope e, MessageSource m) {
                seen.addAll(s.transcript());
                return FilterVerdict.accept();
            }
        };
        try (SmtpServer s = SmtpTesting.mx(new InMemorySink()).filters(f).transcripts(true).build().start();
             RawClient c = new RawClient(s.port())) {
            c.readReply();
            assertThat(send(c, "a@remote.test", "x@local.test")).startsWith("250");
        }
        assertThat(seen).contains("S: 220 localhost ESMTP mailkit", "C: EHLO client.test", "C: MAIL FROM:<a@remote.test>",
                "S: 250 2.1.5 Recipient <x@local.test> OK", "C: DATA").anyMatch(l -> l.contains("octets"));
    }

    @Test
    void requireTlsOnTheMx() throws Exception {
        dev.mailkit.core.tls.TlsConfig tls = dev.mailkit.core.tls.TlsConfig.selfSigned();
        try (SmtpServer s = SmtpTesting.mx(new InMemorySink()).tls(tls).requireTls().build().start();
             RawClient c = new RawClient(s.port())) {
            c.readReply();
            c.command("EHLO client.test");
            assertThat(c.command("MAIL FROM:<a@remote.test>")).isEqualTo("530 5.7.0 Must issue a STARTTLS command first");
            c.command("STARTTLS");
            c.startTls(tls.clientSslContext());
            c.command("EHLO client.test");
            assertThat(c.command("MAIL FROM:<a@remote.test>")).startsWith("250");
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SmtpTesting.mx(new InMemorySink()).requireTls().build())
                .hasMessageContaining("requireTls() needs tls(");
    }

    @Test
    void disconnectIsReportedOncePerSessionWithItsTranscript() throws Exception {
        java.util.concurrent.LinkedBlockingQueue<List<String>> ended = new java.util.concurrent.LinkedBlockingQueue<>();
        MailFilter f = new MailFilter() {
            @Override
            public void onDisconnect(SessionInfo s) {
                ended.add(s.transcript());
            }
        };
        try (SmtpServer s = SmtpTesting.mx(new InMemorySink()).filters(f).transcripts(true).build().start()) {
            try (RawClient c = new RawClient(s.port())) {
                c.readReply();
                c.command("EHLO client.test");
                c.command("QUIT");
            }
            List<String> t = ended.poll(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(t).containsExactly("S: 220 localhost ESMTP mailkit", "C: EHLO client.test",
                    "S: 250-localhost Hello client.test", "S: 250-PIPELINING", "S: 250-SIZE 26214400",
                    "S: 250-8BITMIME", "S: 250-SMTPUTF8", "S: 250-ENHANCEDSTATUSCODES", "S: 250 CHUNKING",
                    "C: QUIT", "S: 221 2.0.0 localhost closing connection");
            try (RawClient c = new RawClient(s.port())) {
                c.readReply(); // and then the client just goes away
            }
            assertThat(ended.poll(10, java.util.concurrent.TimeUnit.SECONDS)).containsExactly("S: 220 localhost ESMTP mailkit");
            assertThat(ended).isEmpty();
        }
    }

    @Test
    void optionalAuthOnEveryPort() throws Exception {
        InMemorySink sink = new InMemorySink();
        try (SmtpServer s = SmtpTesting.mx(sink).users(SmtpTesting.users()).requireTlsForLogin(false).optionalAuth()
                .build().start(); RawClient c = new RawClient(s.port())) {
            c.readReply();
            assertThat(c.command("EHLO client.test")).contains("250 AUTH PLAIN LOGIN");
            assertThat(c.command("MAIL FROM:<a@remote.test>")).as("not required").startsWith("250");
            c.command("RSET");
            String plain = java.util.Base64.getEncoder().encodeToString(
                    "\0alice@local.test\0alice-secret".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(c.command("AUTH PLAIN " + plain)).startsWith("235");
            assertThat(send(c, "alice@local.test", "x@local.test")).startsWith("250");
        }
        assertThat(SmtpTesting.await(sink, 1).get(0).envelope().authenticatedUser()).contains("alice@local.test");
    }
}
