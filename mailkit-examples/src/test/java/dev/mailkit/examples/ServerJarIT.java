package dev.mailkit.examples;

import dev.mailkit.testsupport.ExternalTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The self-contained jar that {@code mvn package} leaves, run as the README says, stopped with SIGTERM. */
class ServerJarIT {
    static final Path JAR = Path.of("target", "mailkit-server.jar");

    @TempDir
    Path data;

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Test
    void runsReceivesMailAndStopsCleanlyOnSigterm() throws Exception {
        assertThat(JAR).exists();
        Process p = new ProcessBuilder(java(), "-jar", JAR.toString(), "--smtp-port", "0", "--submission-port", "0",
                "--smtps-port", "0", "--imap-port", "0", "--imaps-port", "0", "--pop3-port", "0", "--pop3s-port", "0",
                "--managesieve-port", "0", "--http-port", "0", "--domain", "local.test",
                "--user", "rcpt@local.test:secret",
                "--data", data.toString()).redirectError(data.resolve("stderr.log").toFile()).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            List<String> lines = new ArrayList<>();
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
                if (line.contains("store ")) {
                    break;
                }
            }
            String banner = String.join("\n", lines);
            Matcher mx = Pattern.compile("SMTP \\(MX\\)\\s+127\\.0\\.0\\.1:(\\d+)").matcher(banner);
            Matcher sub = Pattern.compile("SMTP submission\\s+127\\.0\\.0\\.1:(\\d+)").matcher(banner);
            assertThat(mx.find()).as(banner).isTrue();
            assertThat(sub.find()).as(banner).isTrue();
            Matcher pop3 = Pattern.compile("POP3\\s+127\\.0\\.0\\.1:(\\d+)").matcher(banner);
            Matcher pop3s = Pattern.compile("POP3S\\s+127\\.0\\.0\\.1:(\\d+)").matcher(banner);
            assertThat(pop3.find()).as(banner).isTrue();
            assertThat(pop3s.find()).as(banner).isTrue();
            String script = String.join("\n",
                    "import smtplib, ssl, sys",
                    "ctx = ssl.create_default_context(cafile=sys.argv[3])",
                    "with smtplib.SMTP('127.0.0.1', int(sys.argv[1]), timeout=10) as s:",
                    "    s.sendmail('a@remote.test', ['rcpt@local.test'], b'Subject: to the jar\\r\\n\\r\\nhi\\r\\n')",
                    "with smtplib.SMTP('localhost', int(sys.argv[2]), timeout=10) as s:",
                    "    s.starttls(context=ctx); s.login('rcpt@local.test', 'secret')",
                    "    s.sendmail('rcpt@local.test', ['rcpt@local.test'], b'Subject: submitted\\r\\n\\r\\nhi\\r\\n')");
            ExternalTool.Result r = ExternalTool.run(List.of(ExternalTool.python().toString(), "-c", script,
                    mx.group(1), sub.group(1), data.resolve("certificate.pem").toString()), null, Duration.ofSeconds(30));
            assertThat(r.exitCode).as(r.toString()).isZero();
            assertThat(out.readLine()).contains("to [rcpt@local.test]").contains("subject: to the jar");
            assertThat(out.readLine()).matches("message \\S+: to=<rcpt@local.test> status=stored");
            assertThat(out.readLine()).contains("subject: submitted");
            assertThat(out.readLine()).matches("message \\S+: to=<rcpt@local.test> status=stored");
            String fetch = String.join("\n",
                    "import poplib, ssl, sys",
                    "ctx = ssl.create_default_context(cafile=sys.argv[3])",
                    "c = poplib.POP3('localhost', int(sys.argv[1]), timeout=10); c.stls(ctx)",
                    "c.user('rcpt@local.test'); c.pass_('secret'); print(c.stat()[0]); c.quit()",
                    "s = poplib.POP3_SSL('localhost', int(sys.argv[2]), context=ctx, timeout=10)",
                    "s.user('rcpt@local.test'); s.pass_('secret')",
                    "print(b'\\n'.join(s.retr(2)[1]).decode()); s.quit()");
            r = ExternalTool.run(List.of(ExternalTool.python().toString(), "-c", fetch, pop3.group(1),
                    pop3s.group(1), data.resolve("certificate.pem").toString()), null, Duration.ofSeconds(30));
            assertThat(r.exitCode).as(r.toString()).isZero();
            assertThat(r.stdout).startsWith("2\n").contains("Subject: submitted");
            p.toHandle().destroy(); // SIGTERM (Process.destroy() would also close our end of its output)
            assertThat(out.readLine()).isEqualTo("mailkit stopped");
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            p.destroyForcibly();
        }
        // the message retrieved over POP3 got \Seen and moved from new/ to cur/
        try (var fresh = Files.list(data.resolve("local.test/rcpt/new"));
             var seen = Files.list(data.resolve("local.test/rcpt/cur"))) {
            assertThat(fresh.count() + seen.count()).as("messages in the Maildir").isEqualTo(2);
        }
        Path spool = data.resolve(".spool");
        if (Files.exists(spool)) {
            try (var files = Files.list(spool)) {
                assertThat(files).as("spool files left behind").isEmpty();
            }
        }
    }

    /**
     * kill -HUP applies a changed configuration file: an alias added while the server runs receives mail. Skipped
     * where this process ignores SIGHUP (a build started with {@code nohup}): the server inherits that, never sees
     * the signal, and the test waited for its answer forever.
     */
    @Test
    void sighupReloadsTheConfigurationFile() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(ignoresSighup(),
                "SIGHUP is ignored in this process tree (started with nohup?): the server could not receive it");
        Path config = data.resolve("mailkit.yaml");
        String base = String.join("\n", "domains: [local.test]", "data: " + data.resolve("d"),
                "users: {rcpt@local.test: secret}", "smtp: {port: 0, submission-port: 0, smtps-port: 0}",
                "imap: {port: 0, imaps-port: 0}", "pop3: {port: 0, pop3s-port: 0}", "managesieve: {port: 0}", "web: {port: 0}", "");
        Files.writeString(config, base);
        Process p = new ProcessBuilder(java(), "-jar", JAR.toString(), "serve", "--config", config.toString())
                .redirectError(data.resolve("stderr.log").toFile()).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder banner = new StringBuilder();
            for (String line; (line = out.readLine()) != null && !line.contains("store "); ) {
                banner.append(line).append('\n');
            }
            Matcher mx = Pattern.compile("SMTP \\(MX\\)\\s+127\\.0\\.0\\.1:(\\d+)").matcher(banner);
            assertThat(mx.find()).as(banner.toString()).isTrue();
            String send = String.join("\n",
                    "import smtplib, sys",
                    "with smtplib.SMTP('127.0.0.1', int(sys.argv[1]), timeout=10) as s:",
                    "    s.sendmail('a@remote.test', ['team@local.test'], b'Subject: to the team\\r\\n\\r\\nhi\\r\\n')");
            ExternalTool.Result before = ExternalTool.run(List.of(ExternalTool.python().toString(), "-c", send,
                    mx.group(1)), null, Duration.ofSeconds(30));
            assertThat(before.exitCode).isNotZero();
            assertThat(before.stderr).contains("team@local.test").contains("550");

            Files.writeString(config, base + "aliases:\n  team@local.test: [rcpt@local.test]\n");
            ExternalTool.run(List.of("kill", "-HUP", String.valueOf(p.pid())), null, Duration.ofSeconds(10))
                    .assertSuccess();
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.startsWith("reloaded: "));
            assertThat(line).as("the answer to SIGHUP").contains("aliases and catch-alls");
            ExternalTool.Result after = ExternalTool.run(List.of(ExternalTool.python().toString(), "-c", send,
                    mx.group(1)), null, Duration.ofSeconds(30));
            assertThat(after.exitCode).as(after.toString()).isZero();
            do {
                line = out.readLine();
            } while (line != null && !line.contains("subject: to the team"));
            assertThat(line).contains("to [team@local.test]");
            p.toHandle().destroy();
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void unknownOptionsGiveAOneLineErrorAndTheUsage() throws Exception {
        Process p = new ProcessBuilder(java(), "-jar", JAR.toString(), "--smtp-prot", "25").start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(err).startsWith("mailkit: Unknown options: '--smtp-prot', '25'\nUsage: mailkit serve");
        assertThat(err).doesNotContain("Exception").doesNotContain("\tat ");
    }

    /** Whether this JVM ignores SIGHUP (bit 0 of SigIgn in /proc/self/status), as its children then do. */
    private static boolean ignoresSighup() throws java.io.IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return false;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & 1) != 0;
            }
        }
        return false;
    }
}
