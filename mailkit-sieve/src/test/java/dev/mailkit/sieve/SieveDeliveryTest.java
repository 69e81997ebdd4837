package dev.mailkit.sieve;

import dev.mailkit.core.auth.InMemoryUserDirectory;
import dev.mailkit.smtp.SmtpServer;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.Flags;
import dev.mailkit.store.MailAccount;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.MessageInfo;
import dev.mailkit.store.SystemFlag;
import dev.mailkit.store.delivery.DeliveryAgent;
import dev.mailkit.store.maildir.MaildirMailStore;
import dev.mailkit.testsupport.RawClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sieve at delivery, end to end: the real SMTP receiver, the delivery agent with {@link SieveDelivery}, the Maildir
 * store, scripts in {@code .dovecot.sieve} of the account directory, and an outbound queue that records.
 */
class SieveDeliveryTest {
    static final InMemoryUserDirectory USERS = InMemoryUserDirectory.builder().passwordHashIterations(1000)
            .user("ann@example.com", "pw").user("bob@example.com", "pw").build();
    static final AccountId ANN = AccountId.parse("ann@example.com");
    static final AccountId BOB = AccountId.parse("bob@example.com");

    @TempDir
    Path data;
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final RecordingQueue queue = new RecordingQueue();
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-01T10:00:00Z"));
    private MaildirMailStore store;
    private SieveScripts scripts;
    private SmtpServer smtp;

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    private void start() {
        store = MaildirMailStore.builder(data).build();
        closing.add(store);
        scripts = SieveScripts.maildir(data);
        Clock clock = new Clock() {
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
                return now.get();
            }
        };
        SieveDelivery sieve = SieveDelivery.builder().scripts(scripts).outbound(queue).clock(clock)
                .hostName("mx.example.com").build();
        DeliveryAgent agent = DeliveryAgent.builder().store(store).users(USERS).deliveryRule(sieve).build();
        smtp = SmtpServer.builder().localDomains("example.com").users(USERS).sink(agent).build().start();
        closing.add(0, smtp);
    }

    private void script(AccountId user, String source) throws IOException {
        scripts.write(user, "main", source);
        scripts.activate(user, "main");
    }

    /** Sends one message; returns the reply to the end of DATA. */
    private String send(String from, String to, String message) throws IOException {
        try (RawClient c = new RawClient(smtp.port())) {
            c.readReply();
            c.command("EHLO client.test");
            assertThat(c.command("MAIL FROM:<" + from + ">")).startsWith("250");
            assertThat(c.command("RCPT TO:<" + to + ">")).startsWith("250");
            assertThat(c.command("DATA")).startsWith("354");
            return c.command(message.replace("\n", "\r\n") + "\r\n.");
        }
    }

    private List<String> messages(AccountId user, String box) throws IOException {
        List<String> out = new ArrayList<>();
        MailAccount a = store.account(user);
        if (!a.exists(MailboxName.of(box))) {
            return out;
        }
        try (Mailbox m = a.open(MailboxName.of(box))) {
            for (long uid = 1; uid < m.status().uidNext(); uid++) {
                if (m.content(uid).isPresent()) {
                    try (InputStream in = m.content(uid).get().openStream()) {
                        out.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return out;
    }

    private Flags flags(AccountId user, String box, long uid) {
        try (Mailbox m = store.account(user).open(MailboxName.of(box))) {
            return m.message(uid).map(MessageInfo::flags).orElseThrow();
        }
    }

    @Test
    void fileintoWithFlagsAndCreate() throws IOException {
        start();
        script(ANN, """
                require ["fileinto", "imap4flags", "mailbox"];
                if header :contains "subject" "invoice" { fileinto :create :flags "\\\\Seen $Billing" "Bills.2026"; }
                """);
        assertThat(send("shop@remote.test", "ann@example.com", "Subject: your invoice\n\nPay.")).startsWith("250");
        assertThat(messages(ANN, "INBOX")).isEmpty();
        assertThat(messages(ANN, "Bills.2026")).singleElement().asString().contains("Pay.")
                .startsWith("Return-Path: <shop@remote.test>");
        Flags f = flags(ANN, "Bills.2026", 1);
        assertThat(f.contains(SystemFlag.SEEN)).isTrue();
        assertThat(f.containsKeyword("$Billing")).isTrue();
        // another message takes the implicit keep; bob has no script at all
        assertThat(send("x@remote.test", "ann@example.com", "Subject: hi\n\nhello")).startsWith("250");
        assertThat(send("x@remote.test", "bob@example.com", "Subject: invoice\n\nhello")).startsWith("250");
        assertThat(messages(ANN, "INBOX")).hasSize(1);
        assertThat(messages(BOB, "INBOX")).hasSize(1);
    }

    @Test
    void fileintoAMissingMailboxWithoutCreateKeepsInInbox() throws IOException {
        start();
        script(ANN, "require \"fileinto\"; fileinto \"Nowhere\";");
        assertThat(send("x@remote.test", "ann@example.com", "Subject: a\n\nb")).startsWith("250");
        assertThat(messages(ANN, "INBOX")).hasSize(1);
        assertThat(store.account(ANN).exists(MailboxName.of("Nowhere"))).isFalse();
    }

    @Test
    void rejectRefusesTheRecipientInTheSmtpSessionWithTheReason() throws IOException {
        start();
        script(ANN, "require \"reject\"; reject \"I do not want mail from you\\r\\nBcc: evil@x\";");
        String reply = send("x@remote.test", "ann@example.com", "Subject: a\n\nb");
        assertThat(reply).startsWith("550 5.7.1").contains("I do not want mail from you").doesNotContain("\n5");
        assertThat(messages(ANN, "INBOX")).isEmpty();
    }

    @Test
    void discardStoresNothingAndAcceptsTheMessage() throws IOException {
        start();
        script(ANN, "if address :domain \"from\" \"spam.test\" { discard; }");
        assertThat(send("x@spam.test", "ann@example.com", "From: x@spam.test\nSubject: a\n\nb")).startsWith("250");
        assertThat(messages(ANN, "INBOX")).isEmpty();
    }

    @Test
    void redirectQueuesTheMessageWithItsSenderAfterTheCopyIsStored() throws IOException {
        start();
        script(ANN, "require \"copy\"; redirect :copy \"ann@elsewhere.test\";");
        assertThat(send("x@remote.test", "ann@example.com", "Subject: fwd me\n\nbody")).startsWith("250");
        assertThat(queue.committed).singleElement().satisfies(q -> {
            assertThat(q.envelope().reversePath()).hasValueSatisfying(a -> assertThat(a.toString()).isEqualTo("x@remote.test"));
            assertThat(q.envelope().recipients()).extracting(Object::toString).containsExactly("ann@elsewhere.test");
            assertThat(q.message()).startsWith("X-Sieve-Redirected-From: <ann@example.com>\r\n")
                    .contains("Subject: fwd me").doesNotContain("Return-Path:").doesNotContain("Delivered-To:");
        });
        assertThat(messages(ANN, "INBOX")).hasSize(1);
    }

    @Test
    void aRedirectLoopBetweenTwoUsersEndsWithACopyKept() throws IOException {
        start();
        script(ANN, "redirect \"bob@example.com\";");
        script(BOB, "redirect \"ann@example.com\";");
        assertThat(send("x@remote.test", "ann@example.com", "Subject: loop\n\nbody")).startsWith("250");
        // the queue here does not deliver: feed what ann's script queued to bob, and bob's back to ann
        String toBob = queue.committed.get(0).message();
        assertThat(send("x@remote.test", "bob@example.com", toBob.replace("\r\n", "\n").strip()))
                .startsWith("250");
        String toAnn = queue.committed.get(1).message();
        assertThat(toAnn).contains("X-Sieve-Redirected-From: <bob@example.com>")
                .contains("X-Sieve-Redirected-From: <ann@example.com>");
        assertThat(send("x@remote.test", "ann@example.com", toAnn.replace("\r\n", "\n").strip())).startsWith("250");
        // ann's script saw its own redirect: the message is kept instead of going round again
        assertThat(queue.committed).hasSize(2);
        assertThat(messages(ANN, "INBOX")).singleElement().asString().contains("Subject: loop");
    }

    @Test
    void vacationRepliesOncePerSenderAndPeriodAndRemembersAcrossRestarts() throws Exception {
        start();
        script(ANN, "require \"vacation\"; vacation :days 2 :subject \"Away\" \"Back on Monday.\";");
        String msg = "From: Carl <carl@remote.test>\nTo: ann@example.com\nSubject: meeting\nMessage-ID: <m1@remote.test>"
                + "\n\nhello";
        assertThat(send("carl@remote.test", "ann@example.com", msg)).startsWith("250");
        assertThat(queue.committed).singleElement().satisfies(q -> {
            assertThat(q.envelope().isNullReversePath()).isTrue();
            assertThat(q.envelope().recipients()).extracting(Object::toString).containsExactly("carl@remote.test");
            assertThat(q.message()).contains("\r\nTo: Carl <carl@remote.test>\r\n").contains("Subject: Away\r\n")
                    .contains("From: <ann@example.com>\r\n").contains("In-Reply-To: <m1@remote.test>\r\n")
                    .contains("Auto-Submitted: auto-replied (vacation)\r\n").endsWith("\r\n\r\nBack on Monday.\r\n");
        });
        assertThat(send("carl@remote.test", "ann@example.com", msg)).startsWith("250");
        assertThat(queue.committed).hasSize(1);
        // a restart (a new store, agent and SieveDelivery) remembers
        close();
        closing.clear();
        start();
        now.set(now.get().plus(Duration.ofDays(1)));
        assertThat(send("carl@remote.test", "ann@example.com", msg)).startsWith("250");
        assertThat(queue.committed).hasSize(1);
        now.set(now.get().plus(Duration.ofDays(1).plusSeconds(1)));
        assertThat(send("carl@remote.test", "ann@example.com", msg)).startsWith("250");
        assertThat(queue.committed).hasSize(2);
        assertThat(messages(ANN, "INBOX")).hasSize(4);
    }

    @Test
    void vacationNeverAnswersNullSendersListsOrBulkMail() throws IOException {
        start();
        script(ANN, "require \"vacation\"; vacation \"away\";");
        assertThat(send("", "ann@example.com", "To: ann@example.com\nSubject: bounce\n\nx")).startsWith("250");
        assertThat(send("l@remote.test", "ann@example.com", "To: ann@example.com\nList-Id: <l.remote.test>\n\nx"))
                .startsWith("250");
        assertThat(send("b@remote.test", "ann@example.com", "To: ann@example.com\nPrecedence: bulk\n\nx"))
                .startsWith("250");
        assertThat(send("a@remote.test", "ann@example.com", "To: ann@example.com\nAuto-Submitted: auto-replied\n\nx"))
                .startsWith("250");
        assertThat(send("MAILER-DAEMON@remote.test", "ann@example.com", "To: ann@example.com\n\nx")).startsWith("250");
        assertThat(queue.committed).isEmpty();
        assertThat(messages(ANN, "INBOX")).hasSize(5);
    }

    @Test
    void aStormFromOneSenderGetsOneReply() throws Exception {
        start();
        script(ANN, "require \"vacation\"; vacation \"away\";");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> replies = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int n = i;
                replies.add(pool.submit(() -> send("storm@remote.test", "ann@example.com",
                        "To: ann@example.com\nSubject: " + n + "\n\nx")));
            }
            for (Future<String> f : replies) {
                assertThat(f.get(30, TimeUnit.SECONDS)).startsWith("250");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(queue.committed).hasSize(1);
        assertThat(queue.prepared.get()).isEqualTo(1);
        assertThat(messages(ANN, "INBOX")).hasSize(40);
    }

    @Test
    void headerInjectionThroughVacationSubjectAndFromIsDefused() throws IOException {
        start();
        script(ANN, """
                require ["vacation", "variables"];
                if header :matches "subject" "*" { set "s" "${1}"; }
                if header :matches "x-from" "*" { set "f" "${1}"; }
                if exists "x-from" { vacation :from "${f}" :subject "Re: ${s}" "away"; }
                else { vacation :subject "Re: ${s}" "away"; }
                """);
        // an encoded word that decodes to a line break and a Bcc field
        String subject = "=?utf-8?q?hi=0D=0ABcc:_victim@example.org=0D=0AX-Evil:_1?=";
        assertThat(send("e@remote.test", "ann@example.com", "To: ann@example.com\nSubject: " + subject + "\n\nx"))
                .startsWith("250");
        assertThat(queue.committed).singleElement().satisfies(q -> {
            String head = q.message().substring(0, q.message().indexOf("\r\n\r\n") + 2);
            assertThat(head).doesNotContain("\r\nBcc:").doesNotContain("\r\nX-Evil:")
                    .contains("Subject: Re: hi  Bcc: victim@example.org  X-Evil: 1\r\n");
            assertThat(q.envelope().recipients()).extracting(Object::toString).containsExactly("e@remote.test");
        });
        // a :from that is not one address (here with a line break) fails the script: no reply, the message kept
        String from = "=?utf-8?q?me@example.com=0D=0ABcc:_victim@example.org?=";
        assertThat(send("f@remote.test", "ann@example.com", "To: ann@example.com\nX-From: " + from + "\n\nx"))
                .startsWith("250");
        assertThat(queue.committed).hasSize(1);
        assertThat(messages(ANN, "INBOX")).hasSize(2);
    }

    @Test
    void aScriptThatDoesNotCompileKeepsTheMessage() throws IOException {
        start();
        Files.createDirectories(data.resolve("example.com/ann"));
        Files.writeString(data.resolve("example.com/ann/.dovecot.sieve"), "if true { fileinot \"x\"; }");
        assertThat(send("x@remote.test", "ann@example.com", "Subject: a\n\nb")).startsWith("250");
        assertThat(messages(ANN, "INBOX")).hasSize(1);
    }
}
