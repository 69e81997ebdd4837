package dev.mailkit.store.interop;

import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.MailboxView;
import dev.mailkit.store.ViewMode;
import dev.mailkit.store.maildir.MaildirMailStore;
import dev.mailkit.store.mime.MessageStructure;
import dev.mailkit.testsupport.ExternalTool;
import dev.mailkit.testsupport.RawClient;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * mailkit reads every message of a Maildir that a real Postfix delivered: a scratch Postfix instance (its own
 * configuration, queue and port, as ../shared/bench/postfix-anchor.sh sets Postfix up, but leaving the system's
 * Postfix alone) delivers with its {@code virtual} agent into {@code DATA/local.test/rcpt/}, LF line ends and
 * Postfix's own file names, and mailkit serves each message with CRLF line ends at the right size.
 */
class PostfixInteropTest {
    /** The messages sent: subject to body (as CRLF text). */
    static Map<String, String> messages() {
        Map<String, String> m = new TreeMap<>();
        m.put("plain", "hello\r\n");
        m.put("dots", ".leading dot\r\n..two dots\r\nFrom the start of a line\r\n");
        m.put("eight bit", "Grüße aus Köln, 日本語\r\n");
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            big.append("line ").append(i).append(" of a message of about half a megabyte\r\n");
        }
        m.put("big", big.toString());
        m.put("no body", "");
        return m;
    }

    @Test
    void mailkitReadsEveryMessageAPostfixDelivered() throws Exception {
        Path postfix = ExternalTool.require("postfix");
        RealPrograms.requireRoot("starting a scratch Postfix instance");
        Path base = Files.createTempDirectory(Path.of("/tmp"), "mailkit-postfix-");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path etc = base.resolve("etc");
        Path data = base.resolve("data");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try {
            Files.createDirectories(etc);
            Files.createDirectories(base.resolve("queue"));
            Files.createDirectories(base.resolve("pfdata"));
            Files.createDirectories(data);
            Files.writeString(etc.resolve("main.cf"), String.join("\n",
                    "compatibility_level = 3.6",
                    "queue_directory = " + base.resolve("queue"),
                    "data_directory = " + base.resolve("pfdata"),
                    "mail_owner = postfix",
                    "setgid_group = postdrop",
                    "myhostname = scratch.local",
                    "mydestination =",
                    "inet_interfaces = 127.0.0.1",
                    "inet_protocols = ipv4",
                    "alias_maps =",
                    "alias_database =",
                    "virtual_mailbox_domains = local.test",
                    "virtual_mailbox_base = " + data,
                    "virtual_mailbox_maps = static:local.test/rcpt/",
                    "virtual_uid_maps = static:5000",
                    "virtual_gid_maps = static:5000",
                    "mynetworks = 127.0.0.0/8",
                    "smtpd_recipient_restrictions = permit_mynetworks, reject_unauth_destination",
                    "maillog_file = " + base.resolve("maillog"),
                    "maillog_file_prefixes = " + base,
                    "smtputf8_enable = yes",
                    "") );
            // the system's services without its listeners (the benchmark anchor may have moved smtpd to 2525), plus ours
            String master = Files.readString(Path.of("/etc/postfix/master.cf"))
                    .replaceAll("(?m)^[^#\\s]\\S*\\s+inet\\s.*(\\n[ \\t]+-o.*)*$", "")
                    + "\n127.0.0.1:" + port + " inet n - n - - smtpd\n";
            Files.writeString(etc.resolve("master.cf"), master);
            RealPrograms.run(List.of("chown", "postfix", base.resolve("pfdata").toString()), null,
                    Duration.ofSeconds(10));
            RealPrograms.run(List.of("chown", "5000:5000", data.toString()), null, Duration.ofSeconds(10));
            RealPrograms.run(List.of(postfix.toString(), "-c", etc.toString(), "start"), null, Duration.ofSeconds(60));

            Map<String, String> sent = messages();
            try (RawClient c = connect(port)) {
                assertThat(c.readReply()).startsWith("220");
                c.command("EHLO client.test");
                for (Map.Entry<String, String> e : sent.entrySet()) {
                    assertThat(c.command("MAIL FROM:<sender@remote.test> SMTPUTF8")).startsWith("250");
                    assertThat(c.command("RCPT TO:<rcpt@local.test>")).startsWith("250");
                    assertThat(c.command("DATA")).startsWith("354");
                    String body = e.getValue().replaceAll("(?m)^\\.", "..");
                    c.sendBytes(("Subject: " + e.getKey() + "\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
                            + body + ".\r\n").getBytes(StandardCharsets.UTF_8));
                    assertThat(c.readReply()).startsWith("250");
                }
                c.command("QUIT");
            }
            Path fresh = data.resolve("local.test/rcpt/new");
            boolean all = RealPrograms.waitFor(Duration.ofSeconds(60), () -> count(fresh) == sent.size());
            assertThat(all).as("Postfix delivered %d of %d; log:%n%s", count(fresh), sent.size(),
                    readQuietly(base.resolve("maillog"))).isTrue();
            RealPrograms.run(List.of(postfix.toString(), "-c", etc.toString(), "stop"), null, Duration.ofSeconds(60));

            // Postfix's files: its own names (no ,S= or ,W=), LF line ends
            try (Stream<Path> files = Files.list(fresh)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    assertThat(f.getFileName().toString()).doesNotContain(",S=");
                    assertThat(Files.readString(f, StandardCharsets.ISO_8859_1)).doesNotContain("\r");
                }
            }
            try (MaildirMailStore store = MaildirMailStore.builder(data).build();
                 Mailbox inbox = store.account(MailAddress.parse("rcpt@local.test")).open(MailboxName.INBOX);
                 MailboxView v = inbox.openView(ViewMode.READ_WRITE)) {
                assertThat(v.messageCount()).isEqualTo(sent.size());
                Map<String, String> read = new TreeMap<>();
                for (int seq = 1; seq <= v.messageCount(); seq++) {
                    long uid = v.uid(seq);
                    MessageStructure s = inbox.structure(uid).orElseThrow();
                    try (MessageSource m = inbox.content(uid).orElseThrow()) {
                        byte[] b = m.toByteArray();
                        assertThat((long) b.length).isEqualTo(inbox.message(uid).orElseThrow().size());
                        String text = new String(b, StandardCharsets.UTF_8);
                        assertThat(text.replace("\r\n", "")).doesNotContain("\n").doesNotContain("\r");
                        assertThat(text).startsWith("Return-Path: <sender@remote.test>\r\n")
                                .contains("Delivered-To: rcpt@local.test\r\n");
                        read.put(s.envelope().subject(), text.substring(text.indexOf("\r\n\r\n") + 4));
                        assertThat(s.body().bodyOffset() + s.body().bodyLength()).isEqualTo(b.length);
                    }
                }
                assertThat(read).isEqualTo(sent);
            }
        } finally {
            ExternalTool.run(List.of(postfix.toString(), "-c", etc.toString(), "stop"), null, Duration.ofSeconds(60));
            ExternalTool.run(List.of("rm", "-rf", base.toString()), null, Duration.ofSeconds(60));
        }
    }

    private static RawClient connect(int port) throws Exception {
        IOException last = null;
        for (int i = 0; i < 250; i++) {
            try {
                return new RawClient(port, Duration.ofSeconds(30));
            } catch (IOException e) {
                last = e; // master is still binding
                Thread.sleep(20);
            }
        }
        throw last;
    }

    private static int count(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return (int) s.count();
        } catch (IOException e) {
            return 0;
        }
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
