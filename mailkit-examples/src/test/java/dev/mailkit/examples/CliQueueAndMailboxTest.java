package dev.mailkit.examples;

import dev.mailkit.examples.cli.Cli;
import dev.mailkit.smtp.SmtpRole;
import dev.mailkit.testsupport.ExternalTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code mailkit queue ...} against a running server's relay queue, and {@code mailkit import}/{@code export} with
 * Python's {@code mailbox} module writing the mbox that goes in and reading the one that comes out.
 */
class CliQueueAndMailboxTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Cli.run(args, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true,
                StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theQueueOfTheRunningServerIsListedHeldReleasedAndDeleted() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort(); // a smart host that refuses connections: the message stays queued
        }
        Path data = dir.resolve("data");
        ServerOptions o = ServerOptions.parse("--smtp-port", "0", "--submission-port", "0", "--smtps-port", "0",
                "--imap-port", "0", "--imaps-port", "0", "--pop3-port", "0", "--pop3s-port", "0", "--managesieve-port", "0", "--http-port", "0",
                "--domain", "local.test", "--data", data.toString(), "--relay-host", "127.0.0.1:" + closed,
                "--trusted-network", "127.0.0.0/8");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        try (MailkitServerMain.Running r = MailkitServerMain.start(o, out);
             ControlChannel control = ControlChannel.serve(r, out)) {
            ExamplesTestSupport.send(r.smtp().port(SmtpRole.MX), "app@local.test", "friend@remote.test", "stuck", null,
                    null, null);
            Run list = run("queue", "list", "--data", data.toString());
            assertThat(list.code()).as(list.err()).isZero();
            assertThat(list.out()).contains("from <app@local.test>  to [friend@remote.test]").endsWith("1 messages\n");
            Matcher m = Pattern.compile("^(\\S+)  \\d+ bytes", Pattern.MULTILINE).matcher(list.out());
            assertThat(m.find()).isTrue();
            String id = m.group(1);

            assertThat(run("queue", "hold", "--data", data.toString(), id).out()).isEqualTo(id + ": held\n");
            assertThat(run("queue", "list", "--data", data.toString()).out()).contains(id).contains("  HELD");
            Run flush = run("queue", "flush", "--data", data.toString());
            assertThat(flush.code()).isZero();
            assertThat(flush.out()).isEqualTo("0 messages retried now\n"); // a held message is not retried
            assertThat(run("queue", "release", "--data", data.toString(), id).out()).isEqualTo(id + ": released\n");
            assertThat(run("queue", "list", "--data", data.toString()).out()).doesNotContain("HELD");

            // the store belongs to the running server: import says so and changes nothing
            Path mbox = Files.writeString(dir.resolve("in.mbox"), "From x@y Thu Jan  1 00:00:00 1970\nSubject: a\n\nb\n");
            Run busy = run("import", "mbox", "--data", data.toString(), "--user", "ann@local.test", mbox.toString());
            assertThat(busy.code()).isEqualTo(1);
            assertThat(busy.err()).startsWith("mailkit: the server is running with " + data + ": stop it first")
                    .hasLineCount(1);

            Run missing = run("queue", "delete", "--data", data.toString(), "NOSUCHID");
            assertThat(missing.code()).isEqualTo(1);
            assertThat(missing.err()).isEqualTo("mailkit: no message NOSUCHID in the queue\n");
            assertThat(run("queue", "delete", "--data", data.toString(), id).out()).isEqualTo(id + ": deleted\n");
            assertThat(run("queue", "list", "--data", data.toString()).out()).isEqualTo("0 messages\n");
            assertThat(r.relay().size()).isZero();
        }
        // the server stopped: its control socket is gone, and the command says no server runs there
        Run after = run("queue", "list", "--data", data.toString());
        assertThat(after.code()).isEqualTo(1);
        assertThat(after.err()).startsWith("mailkit: no mailkit server is running with the data directory " + data);
    }

    @Test
    void mailGoesInFromMboxAndMaildirAndComesOutAsAnMboxPythonReads() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Path in = dir.resolve("in.mbox");
        // Python's mailbox module writes the mbox: a read message (Status: RO) and an unread one
        ExternalTool.run(List.of(ExternalTool.python().toString(), "-c", String.join("\n",
                "import mailbox, sys",
                "box = mailbox.mbox(sys.argv[1])",
                "m = mailbox.mboxMessage('Subject: first\\nFrom: a@remote.test\\n\\nread it\\n')",
                "m.set_flags('RO')",
                "box.add(m)",
                "box.add(mailbox.mboxMessage('Subject: second\\nFrom: b@remote.test\\n\\nunread\\n'))",
                "box.flush()"), in.toString()), null, Duration.ofSeconds(30)).assertSuccess();
        Run imported = run("import", "mbox", "--data", data.toString(), "--user", "ann@local.test", in.toString());
        assertThat(imported.code()).as(imported.err()).isZero();
        assertThat(imported.out()).isEqualTo("imported 2 messages into ann@local.test INBOX\n");

        Path maildir = dir.resolve("old");
        Files.createDirectories(maildir.resolve("cur"));
        Files.createDirectories(maildir.resolve("new"));
        Files.createDirectories(maildir.resolve("tmp"));
        Files.writeString(maildir.resolve("cur/1700000000.1.host:2,FS"), "Subject: flagged\r\n\r\nkept\r\n");
        Files.writeString(maildir.resolve("new/1700000001.2.host"), "Subject: fresh\r\n\r\nnew\r\n");
        Run fromMaildir = run("import", "maildir", "--data", data.toString(), "--user", "ann@local.test",
                "--mailbox", "Archive", maildir.toString());
        assertThat(fromMaildir.out()).isEqualTo("imported 2 messages into ann@local.test Archive\n");
        Run notMaildir = run("import", "maildir", "--data", data.toString(), "--user", "ann@local.test",
                dir.resolve("nothing").toString());
        assertThat(notMaildir.code()).isEqualTo(1);
        assertThat(notMaildir.err()).isEqualTo("mailkit: " + dir.resolve("nothing") + ": not a Maildir (no cur/ or new/)\n");

        Path inbox = dir.resolve("inbox.mbox");
        Path archive = dir.resolve("archive.mbox");
        assertThat(run("export", "--data", data.toString(), "--user", "ann@local.test", "-o", inbox.toString()).out())
                .isEqualTo("exported 2 messages of ann@local.test INBOX to " + inbox + "\n");
        assertThat(run("export", "--data", data.toString(), "--user", "ann@local.test", "--mailbox", "Archive", "-o",
                archive.toString()).code()).isZero();
        String read = String.join("\n",
                "import mailbox, sys",
                "for p in sys.argv[1:]:",
                "    for m in mailbox.mbox(p):",
                "        print(m['Subject'], ''.join(sorted(m.get_flags())), repr(m.get_payload()))");
        ExternalTool.Result r = ExternalTool.run(List.of(ExternalTool.python().toString(), "-c", read,
                inbox.toString(), archive.toString()), null, Duration.ofSeconds(30)).assertSuccess();
        assertThat(r.stdout.lines()).containsExactly(
                "first OR 'read it\\n'",
                "second O 'unread\\n'", // O: not new to a mail reader any more (mutt's meaning); no R: unread
                "flagged FOR 'kept\\n'",
                "fresh O 'new\\n'");
    }
}
