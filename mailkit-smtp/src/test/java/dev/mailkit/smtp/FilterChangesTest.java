package dev.mailkit.smtp;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.filter.FilterVerdict;
import dev.mailkit.core.filter.MailFilter;
import dev.mailkit.core.filter.SessionInfo;
import dev.mailkit.core.sink.InMemorySink;
import dev.mailkit.core.sink.ReceivedMessage;
import dev.mailkit.testsupport.RawClient;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a DATA filter may change besides adding header fields (content scanners and milters need it): the message
 * replaced, the recipients changed (a new one only if local), the message discarded with 250; and a replacement
 * source is closed whatever happens.
 */
class FilterChangesTest {
    static String transaction(int port, String... rcpts) throws IOException {
        try (RawClient c = new RawClient(port)) {
            c.readReply();
            c.command("EHLO client.test");
            c.command("MAIL FROM:<s@remote.test>");
            for (String r : rcpts) {
                assertThat(c.command("RCPT TO:<" + r + ">")).startsWith("250");
            }
            c.command("DATA");
            c.send("Subject: original\r\nX-Spam-Flag: YES (forged)\r\n\r\nbody\r\n.\r\n");
            return c.readReply();
        }
    }

    @Test
    void aFilterReplacesTheMessageAndLaterFiltersSeeTheReplacement() throws Exception {
        InMemorySink sink = new InMemorySink();
        MailFilter rewrite = new MailFilter() {
            @Override
            public FilterVerdict onData(SessionInfo s, Envelope e, MessageSource m) {
                String text = m.asString().replace("X-Spam-Flag: YES (forged)\r\n", "")
                        .replace("Subject: original", "Subject: rewritten");
                return FilterVerdict.addHeader("X-First", "1").withMessage(MessageSource.ofText(text));
            }
        };
        String[] seen = new String[1];
        MailFilter after = new MailFilter() {
            @Override
            public FilterVerdict onData(SessionInfo s, Envelope e, MessageSource m) {
                seen[0] = m.asString();
                return FilterVerdict.addHeader("X-Second", "2");
            }
        };
        try (SmtpServer smtp = SmtpTesting.mx(sink).filters(rewrite, after).build().start()) {
            assertThat(transaction(smtp.port(), "a@local.test")).startsWith("250");
            ReceivedMessage m = SmtpTesting.await(sink, 1).get(0);
            String stored = m.source().asString();
            assertThat(seen[0]).contains("Subject: rewritten").doesNotContain("forged").startsWith("Received: ");
            assertThat(stored).startsWith("X-First: 1\r\nX-Second: 2\r\nReceived: ").contains("Subject: rewritten")
                    .doesNotContain("forged").endsWith("\r\n\r\nbody\r\n");
        }
    }

    @Test
    void aFilterChangesTheRecipientsButAddsOnlyLocalOnes() throws Exception {
        InMemorySink sink = new InMemorySink();
        MailFilter milterLike = new MailFilter() {
            @Override
            public FilterVerdict onData(SessionInfo s, Envelope e, MessageSource m) {
                return FilterVerdict.accept().withRecipients(List.of(MailAddress.parse("b@local.test"),
                        MailAddress.parse("c@local.test"), MailAddress.parse("x@elsewhere.test")));
            }
        };
        try (SmtpServer smtp = SmtpTesting.mx(sink).filters(milterLike).build().start()) {
            assertThat(transaction(smtp.port(), "a@local.test", "b@local.test")).startsWith("250");
            ReceivedMessage m = SmtpTesting.await(sink, 1).get(0);
            assertThat(m.envelope().recipients()).extracting(MailAddress::toString)
                    .containsExactly("b@local.test", "c@local.test");
        }
    }

    @Test
    void aDiscardIs250ForAMessageNobodyGets() throws Exception {
        InMemorySink sink = new InMemorySink();
        AtomicInteger later = new AtomicInteger();
        MailFilter discard = new MailFilter() {
            @Override
            public FilterVerdict onData(SessionInfo s, Envelope e, MessageSource m) {
                return m.asString().contains("forged") ? FilterVerdict.discard() : FilterVerdict.accept();
            }
        };
        MailFilter counter = new MailFilter() {
            @Override
            public FilterVerdict onData(SessionInfo s, Envelope e, MessageSource m) {
                later.incrementAndGet();
                return FilterVerdict.accept();
            }
        };
        try (SmtpServer smtp = SmtpTesting.mx(sink).filters(discard, counter).build().start()) {
            assertThat(transaction(smtp.port(), "a@local.test")).startsWith("250 2.0.0");
            assertThat(sink.messages()).isEmpty();
            assertThat(later.get()).isZero();
        }
    }

    @Test
    void aReplacementIsClosedWhenALaterFilterRefuses() throws Exception {
        for (boolean refuse : new boolean[] {true}) {
            InMemorySink sink = new InMemorySink();
            List<MessageSource> replacements = new java.util.concurrent.CopyOnWriteArrayList<>();
            MailFilter rewrite = new MailFilter() {
                @Override
                public FilterVerdict onData(SessionInfo s, Envelope e, MessageSource m) {
                    MessageSource r = m.slice(0, m.size()); // holds a reference to the server's source
                    replacements.add(r);
                    return FilterVerdict.accept().withMessage(r);
                }
            };
            MailFilter last = new MailFilter() {
                @Override
                public FilterVerdict onData(SessionInfo s, Envelope e, MessageSource m) {
                    return refuse ? FilterVerdict.reject(550, "5.7.1", "no") : FilterVerdict.accept();
                }
            };
            try (SmtpServer smtp = SmtpTesting.mx(sink).filters(rewrite, last).build().start()) {
                assertThat(transaction(smtp.port(), "a@local.test")).startsWith(refuse ? "550 5.7.1" : "250");
                assertThat(sink.messages()).hasSize(refuse ? 0 : 1);
                assertThat(replacements).hasSize(1);
                assertThatThrownBy(replacements.get(0)::openStream).as("closed by the server")
                        .isInstanceOf(IllegalStateException.class);
            }
        }
    }
}
