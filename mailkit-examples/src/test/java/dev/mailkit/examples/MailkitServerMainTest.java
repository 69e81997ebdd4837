package dev.mailkit.examples;

import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.test.MailKit;
import dev.mailkit.test.ReceivedMail;
import dev.mailkit.test.assertj.MailKitAssertions;
import dev.mailkit.smtp.SmtpRole;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.testsupport.RawClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class MailkitServerMainTest {
    @TempDir
    Path data;

    @Test
    void startsEveryPortWithTlsAndDeliversIntoTheMaildir() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        ServerOptions o = ServerOptions.parse("--smtp-port", "0", "--submission-port", "0", "--smtps-port", "0",
                "--imap-port", "0", "--imaps-port", "0", "--pop3-port", "0", "--pop3s-port", "0", "--managesieve-port", "0", "--http-port", "0",
                "--domain", "local.test", "--user", "rcpt@local.test:secret", "--user", "bob@local.test:pw",
                "--alias", "team@local.test=rcpt@local.test,bob@local.test", "--data", data.toString());
        try (MailkitServerMain.Running r = MailkitServerMain.start(o, out)) {
            int submission = r.smtp().port(SmtpRole.SUBMISSION);
            String text = buf.toString(StandardCharsets.UTF_8);
            assertThat(text).contains("SMTP submission     127.0.0.1:" + submission)
                    .contains("trust " + data.resolve("certificate.pem"))
                    .contains("store               maildir " + data.toAbsolutePath());
            assertThat(Files.readString(data.resolve("certificate.pem"))).startsWith("-----BEGIN CERTIFICATE-----");
            ExamplesTestSupport.send(submission, "rcpt@local.test", "rcpt@local.test", "via submission", r.tls(),
                    "rcpt@local.test", "secret");
            ExamplesTestSupport.send(r.smtp().port(SmtpRole.MX), "someone@remote.test", "team@local.test",
                    "via mx", r.tls(), null, null);
            try (RawClient c = new RawClient(r.smtp().port(SmtpRole.MX))) {
                c.readReply();
                c.command("EHLO client.test");
                c.command("MAIL FROM:<someone@remote.test>");
                assertThat(c.command("RCPT TO:<nobody@local.test>")).startsWith("550 5.1.1");
            }
            // the messages are in the Maildirs the moment the client heard 250
            try (Mailbox inbox = r.store().account(MailAddress.parse("rcpt@local.test")).open(MailboxName.INBOX)) {
                assertThat(inbox.status().messages()).isEqualTo(2);
                try (MessageSource m = inbox.content(2).orElseThrow()) {
                    assertThat(m.asString()).startsWith("Return-Path: <someone@remote.test>\r\n"
                            + "Delivered-To: rcpt@local.test\r\nReceived: ");
                }
            }
            try (Stream<Path> files = Files.list(data.resolve("local.test/bob/new"))) {
                assertThat(files.toList()).hasSize(1);
            }
            assertThat(buf.toString(StandardCharsets.UTF_8)).contains("subject: via submission")
                    .contains("to [team@local.test]").contains("subject: via mx")
                    .contains("IMAP                127.0.0.1:" + r.imap().port())
                    .contains("IMAPS               127.0.0.1:" + r.imap().implicitTlsPort());
            // the mail is in the user's INBOX, readable over IMAP (STARTTLS, then LOGIN)
            java.util.Properties p = new java.util.Properties();
            p.put("mail.imap.starttls.required", "true");
            p.put("mail.imap.ssl.socketFactory", r.tls().clientSslContext().getSocketFactory());
            p.put("mail.imap.timeout", "10000");
            jakarta.mail.Store imap = jakarta.mail.Session.getInstance(p).getStore("imap");
            imap.connect("127.0.0.1", r.imap().port(), "rcpt@local.test", "secret");
            jakarta.mail.Folder inbox = imap.getFolder("INBOX");
            inbox.open(jakarta.mail.Folder.READ_ONLY);
            assertThat(inbox.getMessageCount()).isEqualTo(2);
            assertThat(inbox.getMessage(2).getSubject()).isEqualTo("via mx");
            inbox.close(false);
            imap.close();
            assertThat(buf.toString(StandardCharsets.UTF_8))
                    .contains("POP3                127.0.0.1:" + r.pop3().port())
                    .contains("POP3S               127.0.0.1:" + r.pop3().implicitTlsPort());
            // and over POP3 (STLS, then USER/PASS)
            java.util.Properties pp = new java.util.Properties();
            pp.put("mail.pop3.starttls.enable", "true");
            pp.put("mail.pop3.starttls.required", "true");
            pp.put("mail.pop3.ssl.socketFactory", r.tls().clientSslContext().getSocketFactory());
            pp.put("mail.pop3.timeout", "10000");
            jakarta.mail.Store pop3 = jakarta.mail.Session.getInstance(pp).getStore("pop3");
            pop3.connect("127.0.0.1", r.pop3().port(), "rcpt@local.test", "secret");
            jakarta.mail.Folder drop = pop3.getFolder("INBOX");
            drop.open(jakarta.mail.Folder.READ_ONLY);
            assertThat(drop.getMessages()).extracting(jakarta.mail.Message::getSubject)
                    .containsExactly("via submission", "via mx");
            drop.close(false);
            pop3.close();
        }
    }

    /** {@code --search-index DIR}: IMAP SEARCH BODY is answered by the Lucene index, which is written to DIR. */
    @Test
    void searchIndexFlagIndexesTheMailboxesImapSearches() throws Exception {
        Path index = data.resolve("index");
        ServerOptions o = ServerOptions.parse("--smtp-port", "0", "--submission-port", "0", "--smtps-port", "0",
                "--imap-port", "0", "--imaps-port", "0", "--pop3-port", "0", "--pop3s-port", "0", "--managesieve-port",
                "0", "--http-port", "0", "--domain", "local.test", "--user", "rcpt@local.test:secret", "--data",
                data.resolve("mail").toString(), "--search-index", index.toString());
        assertThat(o.get(ServerOptions.SEARCH_INDEX)).isEqualTo(index);
        try (MailkitServerMain.Running r = MailkitServerMain.start(o, new PrintStream(new ByteArrayOutputStream()))) {
            ExamplesTestSupport.send(r.smtp().port(SmtpRole.MX), "a@remote.test", "rcpt@local.test", "first",
                    r.tls(), null, null);
            ExamplesTestSupport.send(r.smtp().port(SmtpRole.MX), "b@remote.test", "rcpt@local.test", "second",
                    r.tls(), null, null);
            java.util.Properties p = new java.util.Properties();
            p.put("mail.imap.starttls.required", "true");
            p.put("mail.imap.ssl.socketFactory", r.tls().clientSslContext().getSocketFactory());
            p.put("mail.imap.timeout", "10000");
            jakarta.mail.Store imap = jakarta.mail.Session.getInstance(p).getStore("imap");
            imap.connect("127.0.0.1", r.imap().port(), "rcpt@local.test", "secret");
            jakarta.mail.Folder inbox = imap.getFolder("INBOX");
            inbox.open(jakarta.mail.Folder.READ_ONLY);
            assertThat(inbox.search(new jakarta.mail.search.BodyTerm("hello")))
                    .extracting(jakarta.mail.Message::getMessageNumber).containsExactly(1, 2);
            assertThat(inbox.search(new jakarta.mail.search.BodyTerm("no such words anywhere"))).isEmpty();
            inbox.close(false);
            imap.close();
        }
        try (Stream<Path> files = Files.walk(index)) {
            assertThat(files.map(f -> f.getFileName().toString())).as("Lucene's commit in " + index)
                    .anyMatch(n -> n.startsWith("segments_"));
        }
    }

    @Test
    void theMemoryStoreKeepsNothingOnDisk() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ServerOptions o = ServerOptions.parse("--smtp-port", "0", "--submission-port", "0", "--smtps-port", "0",
                "--imap-port", "0", "--imaps-port", "0", "--pop3-port", "0", "--pop3s-port", "0", "--managesieve-port", "0", "--http-port", "0", "--domain",
                "local.test", "--user", "rcpt@local.test:secret", "--catch-all",
                "local.test=rcpt@local.test", "--store", "memory", "--data", data.toString());
        try (MailkitServerMain.Running r = MailkitServerMain.start(o, new PrintStream(buf, true, StandardCharsets.UTF_8))) {
            ExamplesTestSupport.send(r.smtp().port(SmtpRole.MX), "someone@remote.test", "anyone@local.test",
                    "caught", r.tls(), null, null);
            try (Mailbox inbox = r.store().account(MailAddress.parse("rcpt@local.test")).open(MailboxName.INBOX)) {
                assertThat(inbox.status().messages()).isEqualTo(1);
            }
            assertThat(buf.toString(StandardCharsets.UTF_8)).contains("store               memory");
        }
        try (Stream<Path> files = Files.list(data)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList())
                    .isSubsetOf(List.of("certificate.pem", ".spool", ".relay-queue")); // outgoing mail is always durable
        }
    }

    /** --max-connections and --max-connections-per-address apply to every server: the next client is refused at once. */
    @Test
    void connectionLimitsApplyToEveryServer() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ServerOptions o = ServerOptions.parse("--smtp-port", "0", "--submission-port", "0", "--smtps-port", "0",
                "--imap-port", "0", "--imaps-port", "0", "--pop3-port", "0", "--pop3s-port", "0", "--managesieve-port", "0", "--http-port", "0",
                "--domain", "local.test", "--user", "rcpt@local.test:secret", "--store", "memory", "--data",
                data.toString(), "--max-connections", "3", "--max-connections-per-address", "2");
        try (MailkitServerMain.Running r = MailkitServerMain.start(o, new PrintStream(buf, true, StandardCharsets.UTF_8))) {
            java.util.Map<Integer, String> refusals = java.util.Map.of(r.smtp().port(SmtpRole.MX), "421 4.7.0",
                    r.imap().port(), "* BYE [UNAVAILABLE]", r.pop3().port(), "-ERR");
            for (java.util.Map.Entry<Integer, String> e : refusals.entrySet()) {
                // one after the other, each greeted before the next connects: the server accepts concurrently, so
                // three connections opened at once may be admitted in any order
                try (java.net.Socket a = greeted(e.getKey(), e.getValue());
                     java.net.Socket b = greeted(e.getKey(), e.getValue());
                     java.net.Socket c = new java.net.Socket("127.0.0.1", e.getKey())) {
                    c.setSoTimeout(10_000);
                    assertThat(firstLine(c)).as("the third client of port %d", e.getKey()).startsWith(e.getValue());
                    assertThat(c.getInputStream().read()).as("closed after the refusal").isEqualTo(-1);
                }
            }
        }
    }

    private static java.net.Socket greeted(int port, String refusal) throws java.io.IOException {
        java.net.Socket s = new java.net.Socket("127.0.0.1", port);
        s.setSoTimeout(10_000);
        assertThat(firstLine(s)).doesNotStartWith(refusal).isNotEmpty();
        return s;
    }

    private static String firstLine(java.net.Socket s) throws java.io.IOException {
        StringBuilder sb = new StringBuilder();
        int ch;
        while ((ch = s.getInputStream().read()) != -1 && ch != '\n') {
            sb.append((char) ch);
        }
        return sb.toString().strip();
    }

    /**
     * Relaying: a client in a trusted network sends to a remote address through the MX port; the message is
     * DKIM-signed and goes through the smart host with AUTH. An untrusted client (any client without the option) is
     * refused.
     */
    @Test
    void relaysThroughTheSmartHostWithAuthAndDkim() throws Exception {
        Path key = data.resolve("dkim.pem");
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(
                KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        // the provider's smart host is a mailkit-test server: AUTH required, STARTTLS offered
        try (MailKit smartHost = MailKit.builder().user("relay@provider.test", "provider-secret").requireAuth().tls()
                .build().start()) {
            ServerOptions o = ServerOptions.parse("--smtp-port", "0", "--submission-port", "0", "--smtps-port", "0",
                    "--imap-port", "0", "--imaps-port", "0", "--pop3-port", "0", "--pop3s-port", "0", "--managesieve-port", "0", "--http-port", "0",
                    "--domain", "local.test", "--data", data.toString(),
                    "--relay-host", "127.0.0.1:" + smartHost.smtpPort(), "--relay-user", "relay@provider.test",
                    "--relay-password", "provider-secret", "--relay-tls", "opportunistic",
                    "--trusted-network", "127.0.0.0/8",
                    "--dkim-domain", "local.test", "--dkim-selector", "k1", "--dkim-key", key.toString());
            try (MailkitServerMain.Running r = MailkitServerMain.start(o, out)) {
                assertThat(buf.toString(StandardCharsets.UTF_8))
                        .contains("relay               through SmartHost{127.0.0.1:" + smartHost.smtpPort()
                                + ", tls opportunistic, AUTH as relay@provider.test}, queue "
                                + data.resolve(".relay-queue"))
                        .contains("trusted networks    127.0.0.0/8")
                        .contains("DKIM                ed25519-sha256 for local.test; publish TXT "
                                + "k1._domainkey.local.test \"v=DKIM1; k=ed25519; p=");
                ExamplesTestSupport.send(r.smtp().port(SmtpRole.MX), "app@local.test", "friend@remote.test",
                        "going out", null, null, null);
                ReceivedMail m = smartHost.takeMessage();
                String printed = buf.toString(StandardCharsets.UTF_8);
                int at = printed.indexOf("k1._domainkey.local.test \"") + "k1._domainkey.local.test \"".length();
                String keyRecord = printed.substring(at, printed.indexOf('"', at));
                MailKitAssertions.assertThat(m).hasSubject("going out").hasSender("app@local.test")
                        .hasOnlyRecipients("friend@remote.test").isDkimSignedBy("local.test", keyRecord);
                assertThat(m.envelope().authenticatedUser()).contains("relay@provider.test");
                assertThat(m.envelope().tls()).isPresent();
                assertThat(m.rawText()).contains("DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed; "
                        + "d=local.test; s=k1;");
                assertThat(r.relay().awaitEmpty(Duration.ofSeconds(5))).isTrue();
                assertThat(buf.toString(StandardCharsets.UTF_8)).contains("relay ").contains(": delivered to="
                        + "<friend@remote.test> relay=127.0.0.1[127.0.0.1]:" + smartHost.smtpPort());
            }
        }
    }

    @Test
    void dnsBlocklistsAreNamedAtStart() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ServerOptions o = ServerOptions.parse("--smtp-port", "0", "--submission-port", "0", "--smtps-port", "0",
                "--imap-port", "0", "--imaps-port", "0", "--pop3-port", "0", "--pop3s-port", "0", "--managesieve-port", "0", "--http-port", "0",
                "--domain", "local.test", "--user", "rcpt@local.test:secret", "--data", data.toString(),
                "--dnsbl", "zen.spamhaus.org", "--trusted-network", "127.0.0.0/8");
        try (MailkitServerMain.Running r = MailkitServerMain.start(o, new PrintStream(buf, true, StandardCharsets.UTF_8))) {
            assertThat(buf.toString(StandardCharsets.UTF_8))
                    .contains("DNS blocklists      zen.spamhaus.org (refused at RCPT unless AUTH or trusted)");
            // a trusted client is exempt: no DNS question is asked for it, and its mail is delivered at once
            ExamplesTestSupport.send(r.smtp().port(SmtpRole.MX), "app@remote.test", "rcpt@local.test",
                    "exempt", null, null, null);
        }
    }

    @Test
    void inboundAuthenticationIsNamedAtStart() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ServerOptions o = ServerOptions.parse("--smtp-port", "0", "--submission-port", "0", "--smtps-port", "0",
                "--imap-port", "0", "--imaps-port", "0", "--pop3-port", "0", "--pop3s-port", "0", "--managesieve-port", "0", "--http-port", "0",
                "--domain", "local.test", "--data", data.toString(), "--inbound-auth", "enforce");
        try (MailkitServerMain.Running r = MailkitServerMain.start(o, new PrintStream(buf, true, StandardCharsets.UTF_8))) {
            assertThat(buf.toString(StandardCharsets.UTF_8)).contains("inbound auth        SPF, DKIM, DMARC recorded "
                    + "in Authentication-Results; DMARC p=reject failures refused");
        }
    }

    @Test
    void withoutTrustedNetworksTheMxPortRelaysForNobody() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ServerOptions o = ServerOptions.parse("--smtp-port", "0", "--submission-port", "0", "--smtps-port", "0",
                "--imap-port", "0", "--imaps-port", "0", "--pop3-port", "0", "--pop3s-port", "0", "--managesieve-port", "0", "--http-port", "0",
                "--domain", "local.test", "--data", data.toString());
        try (MailkitServerMain.Running r = MailkitServerMain.start(o, new PrintStream(buf, true, StandardCharsets.UTF_8));
             RawClient c = new RawClient(r.smtp().port(SmtpRole.MX))) {
            assertThat(buf.toString(StandardCharsets.UTF_8)).contains("relay               to the recipients' MX hosts")
                    .contains("trusted networks    none (relaying needs AUTH)");
            c.readReply();
            c.command("EHLO client.test");
            c.command("MAIL FROM:<a@local.test>");
            assertThat(c.command("RCPT TO:<x@remote.test>")).startsWith("554 5.7.1");
        }
    }

    /** An alias that points outside never turns the server into a relay: nothing reaches the relay queue. */
    @Test
    void anAliasPointingOutsideDoesNotRelay() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ServerOptions o = ServerOptions.parse("--smtp-port", "0", "--submission-port", "0", "--smtps-port", "0",
                "--imap-port", "0", "--imaps-port", "0", "--pop3-port", "0", "--pop3s-port", "0", "--managesieve-port", "0", "--http-port", "0",
                "--domain", "local.test", "--user", "rcpt@local.test:secret",
                "--alias", "info@local.test=victim@remote.test,rcpt@local.test", "--data", data.toString());
        try (MailkitServerMain.Running r = MailkitServerMain.start(o, new PrintStream(buf, true, StandardCharsets.UTF_8))) {
            ExamplesTestSupport.send(r.smtp().port(SmtpRole.MX), "attacker@evil.test", "info@local.test",
                    "forward me", r.tls(), null, null);
            try (RawClient c = new RawClient(r.smtp().port(SmtpRole.MX))) {
                c.readReply();
                c.command("EHLO evil.test");
                c.command("MAIL FROM:<attacker@evil.test>");
                assertThat(c.command("RCPT TO:<victim@remote.test>")).startsWith("554 5.7.1");
            }
            try (Mailbox inbox = r.store().account(MailAddress.parse("rcpt@local.test")).open(MailboxName.INBOX)) {
                assertThat(inbox.status().messages()).isEqualTo(1);
            }
            assertThat(r.relay().size()).isZero();
            assertThat(buf.toString(StandardCharsets.UTF_8)).doesNotContainPattern("(?m)^relay "); // no attempt
        }
    }
}
