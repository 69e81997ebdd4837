package dev.mailkit.sieve;

import dev.mailkit.core.auth.InMemoryUserDirectory;
import dev.mailkit.smtp.SmtpServer;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.delivery.DeliveryAgent;
import dev.mailkit.store.maildir.MaildirMailStore;
import dev.mailkit.testsupport.ExternalTool;
import dev.mailkit.testsupport.Unprivileged;
import dev.mailkit.testsupport.RawClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One Maildir tree, {@code DATA/<domain>/<user>/}, used by Dovecot and by mailkit in turn, as when a server is
 * replaced by the other: the script mailkit activated (as its ManageSieve does: {@code sieve/NAME.sieve} and the
 * {@code .dovecot.sieve} link) is run by Dovecot's LDA with Pigeonhole ({@code mail_location = maildir:DATA/%d/%n},
 * the home the account directory), and a script Dovecot's way of installing (a plain {@code .dovecot.sieve} file)
 * left behind is run by mailkit's delivery; each files into the same Maildir++ folder the other reads.
 */
class DovecotSharedTreeTest {
    static final AccountId RCPT = AccountId.parse("rcpt@local.test");
    static final InMemoryUserDirectory USERS = InMemoryUserDirectory.builder().passwordHashIterations(1000)
            .user("rcpt@local.test", "pw").build();
    static final String SCRIPT = """
            require ["fileinto", "imap4flags"];
            if header :contains "subject" "report" { fileinto :flags "$Report" "Work"; stop; }
            if header :contains "subject" "newsletter" { discard; }
            """;

    @TempDir
    Path data;

    /** Dovecot's LDA delivers a message to rcpt@local.test over DATA (as nobody when run as root). */
    private void dovecotDelivers(String subject) throws IOException {
        Path lda = ExternalTool.require("/usr/lib/dovecot/dovecot-lda");
        Path conf = data.resolve("dovecot.conf");
        Files.writeString(conf, String.join("\n",
                "mail_location = maildir:" + data + "/%d/%n",
                "mail_home = " + data + "/%d/%n",
                "postmaster_address = postmaster@local.test",
                "mail_fsync = never",
                "protocol lda {",
                "  mail_plugins = sieve",
                "}", ""));
        Unprivileged.openUp(data);
        List<String> cmd = Unprivileged.command(List.of(lda.toString(), "-c", conf.toString(), "-f",
                "boss@remote.test", "-a", "rcpt@local.test"));
        String message = "From: boss@remote.test\r\nTo: rcpt@local.test\r\nSubject: " + subject
                + "\r\nMessage-ID: <" + subject.hashCode() + "@remote.test>\r\n\r\nfrom dovecot\r\n";
        ExternalTool.Result r = ExternalTool.run(cmd, message.getBytes(StandardCharsets.US_ASCII),
                Duration.ofSeconds(30), Map.of("USER", "rcpt@local.test", "HOME",
                        data.resolve("local.test/rcpt").toString(), "TZ", "UTC"), data);
        assertThat(r.exitCode).as("dovecot-lda: %s%s", r.stdout, r.stderr).isZero();
    }

    /** mailkit delivers a message through its SMTP receiver, delivery agent and SieveDelivery over DATA. */
    private void mailkitDelivers(String subject) throws IOException {
        try (MaildirMailStore store = MaildirMailStore.builder(data).build();
             SmtpServer smtp = SmtpServer.builder().localDomains("local.test").users(USERS)
                     .sink(DeliveryAgent.builder().store(store).users(USERS).deliveryRule(
                             SieveDelivery.builder().scripts(SieveScripts.maildir(data)).build()).build())
                     .build().start();
             RawClient c = new RawClient(smtp.port())) {
            c.readReply();
            c.command("EHLO client.test");
            assertThat(c.command("MAIL FROM:<boss@remote.test>")).startsWith("250");
            assertThat(c.command("RCPT TO:<rcpt@local.test>")).startsWith("250");
            assertThat(c.command("DATA")).startsWith("354");
            assertThat(c.command("From: boss@remote.test\r\nSubject: " + subject + "\r\n\r\nfrom mailkit\r\n."))
                    .startsWith("250");
        }
    }

    /** The subjects in a mailbox, read by a freshly opened mailkit store (and whether each has $Report). */
    private List<String> subjects(String box) throws IOException {
        List<String> out = new ArrayList<>();
        try (MaildirMailStore store = MaildirMailStore.builder(data).build()) {
            if (!store.account(RCPT).exists(MailboxName.of(box))) {
                return out;
            }
            try (Mailbox m = store.account(RCPT).open(MailboxName.of(box))) {
                for (long uid = 1; uid < m.status().uidNext(); uid++) {
                    if (m.content(uid).isEmpty()) {
                        continue;
                    }
                    try (InputStream in = m.content(uid).get().openStream()) {
                        String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                        int s = text.indexOf("Subject: ");
                        String subject = text.substring(s + 9, text.indexOf('\r', s));
                        boolean flagged = m.message(uid).orElseThrow().flags().containsKeyword("$Report");
                        out.add(subject + (flagged ? " $Report" : ""));
                    }
                }
            }
        }
        return out;
    }

    @Test
    void aScriptMailkitActivatedIsRunByDovecotAndMailkitAlike() throws IOException {
        SieveScripts scripts = SieveScripts.maildir(data);
        scripts.write(RCPT, "main", SCRIPT);
        scripts.activate(RCPT, "main");
        assertThat(Files.isSymbolicLink(data.resolve("local.test/rcpt/.dovecot.sieve"))).isTrue();
        try (MaildirMailStore store = MaildirMailStore.builder(data).build()) {
            store.account(RCPT).create(MailboxName.of("Work"));
        }
        dovecotDelivers("quarterly report one");
        mailkitDelivers("quarterly report two");
        dovecotDelivers("weekly newsletter");
        mailkitDelivers("monthly newsletter");
        dovecotDelivers("hello from dovecot");
        mailkitDelivers("hello from mailkit");
        assertThat(subjects("Work")).containsExactly("quarterly report one $Report", "quarterly report two $Report");
        assertThat(subjects("INBOX")).containsExactly("hello from dovecot", "hello from mailkit");
    }

    @Test
    void aScriptFileDovecotLeftBehindIsRunByMailkit() throws IOException {
        Path home = Files.createDirectories(data.resolve("local.test/rcpt"));
        Files.writeString(home.resolve(".dovecot.sieve"), SCRIPT);
        try (MaildirMailStore store = MaildirMailStore.builder(data).build()) {
            store.account(RCPT).create(MailboxName.of("Work"));
        }
        dovecotDelivers("report from dovecot");
        mailkitDelivers("report from mailkit");
        mailkitDelivers("a newsletter");
        assertThat(subjects("Work")).containsExactly("report from dovecot $Report", "report from mailkit $Report");
        assertThat(subjects("INBOX")).isEmpty();
    }
}
