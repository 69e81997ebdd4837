package dev.mailkit.examples;

import dev.mailkit.smtp.SmtpRole;
import dev.mailkit.test.MailKit;
import dev.mailkit.testsupport.ExternalTool;
import dev.mailkit.testsupport.RawClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runnable server's meters as Prometheus sees them (the official Python client's text-format parser reads
 * {@code /metrics} on the web port), its health check, and the log lines that follow a message by id.
 */
class ServerMetricsTest {
    @TempDir
    Path data;

    /** Fetches a URL and prints each sample the Prometheus parser finds as name{label=value,...} value. */
    private static final String SCRAPE = String.join("\n",
            "import sys, urllib.request",
            "from prometheus_client.parser import text_string_to_metric_families",
            "with urllib.request.urlopen(sys.argv[1], timeout=10) as r:",
            "    assert r.headers['Content-Type'].startswith('text/plain; version=0.0.4'), r.headers['Content-Type']",
            "    body = r.read().decode()",
            "for f in text_string_to_metric_families(body):",
            "    for s in f.samples:",
            "        labels = ','.join(k + '=' + v for k, v in sorted(s.labels.items()))",
            "        print(s.name + '{' + labels + '} ' + repr(float(s.value)))");

    @Test
    void prometheusReadsTheMetersAndEachMessageCanBeFollowedInTheLog() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        try (MailKit smartHost = MailKit.builder().build().start()) {
            ServerOptions o = ServerOptions.parse("--smtp-port", "0", "--submission-port", "0", "--smtps-port", "0",
                    "--imap-port", "0", "--imaps-port", "0", "--pop3-port", "0", "--pop3s-port", "0", "--managesieve-port", "0", "--http-port", "0",
                    "--domain", "local.test", "--data", data.toString(), "--user", "ann@local.test:ann-pw",
                    "--relay-host", "127.0.0.1:" + smartHost.smtpPort(), "--trusted-network", "127.0.0.0/8");
            try (MailkitServerMain.Running r = MailkitServerMain.start(o, out)) {
                int mx = r.smtp().port(SmtpRole.MX);
                ExamplesTestSupport.send(mx, "x@remote.test", "ann@local.test", "plain", null, null, null);
                ExamplesTestSupport.send(r.smtp().port(SmtpRole.SUBMISSION), "ann@local.test", "ann@local.test",
                        "over tls", r.tls(), "ann@local.test", "ann-pw");
                ExamplesTestSupport.send(mx, "app@local.test", "friend@remote.test", "out", null, null, null);
                smartHost.takeMessage();
                assertThat(r.relay().awaitEmpty(Duration.ofSeconds(10))).isTrue();
                try (RawClient c = new RawClient(mx)) {
                    c.readReply();
                    c.command("EHLO client.test");
                    c.command("MAIL FROM:<x@remote.test>");
                    assertThat(c.command("RCPT TO:<nobody@local.test>")).startsWith("550 5.1.1");
                    c.command("QUIT");
                }

                String url = "http://127.0.0.1:" + r.web().port();
                ExternalTool.Result scrape = ExternalTool.run(List.of(ExternalTool.python().toString(), "-c", SCRAPE,
                        url + "/metrics"), null, Duration.ofSeconds(30));
                assertThat(scrape.exitCode).as(scrape.toString()).isZero();
                List<String> samples = scrape.stdout.lines().toList();
                assertThat(samples).contains(
                        "mailkit_messages_accepted_total{tls=none} 2.0",
                        "mailkit_messages_accepted_total{tls=TLSv1.3} 1.0",
                        "mailkit_messages_refused_total{reason=5.1.1,stage=rcpt} 1.0",
                        "mailkit_delivered_recipients_total{outcome=stored} 2.0",
                        "mailkit_relay_messages_total{outcome=queued} 1.0",
                        "mailkit_relay_recipients_total{outcome=delivered} 1.0",
                        "mailkit_queue_size{} 0.0",
                        "mailkit_queue_oldest_age_seconds{} 0.0",
                        "mailkit_store_duration_seconds_count{} 2.0",
                        "mailkit_filter_duration_seconds_count{} 3.0",
                        "mailkit_smtp_sessions_total{} 4.0");
                assertThat(samples).contains("mailkit_connections{protocol=smtp} 0.0", "mailkit_connections{protocol=imap} 0.0",
                        "mailkit_connections{protocol=pop3} 0.0");
                assertThat(scrape.stdout).doesNotContain("ann@").doesNotContain("remote.test");

                ExternalTool.Result health = ExternalTool.run(List.of("curl", "-sS", "-w", " %{http_code}",
                        url + "/health"), null, Duration.ofSeconds(30));
                assertThat(health.stdout).isEqualTo("UP\n 200");
                // the rest of the web port still asks for a login
                ExternalTool.Result api = ExternalTool.run(List.of("curl", "-sS", "-o", "/dev/null", "-w",
                        "%{http_code}", url + "/api/v1/messages"), null, Duration.ofSeconds(30));
                assertThat(api.stdout).isEqualTo("401");

                r.imap().close(); // a server that stopped makes the check fail, naming it
                ExternalTool.Result down = ExternalTool.run(List.of("curl", "-sS", "-w", " %{http_code}",
                        url + "/health"), null, Duration.ofSeconds(30));
                assertThat(down.stdout).isEqualTo("DOWN\nIMAP is not running\n 503");
            }
        }
        // the log: one line per recipient with the transaction id, and the relay's lines with the queue id
        String log = buf.toString(StandardCharsets.UTF_8);
        assertThat(log).containsPattern("message (\\S+) from <x@remote.test> to \\[ann@local.test\\].*\\n"
                + "message \\1: to=<ann@local.test> status=stored\\n");
        assertThat(log).containsPattern("relay (\\S+): queued to=<friend@remote.test> \\(from=<app@local.test>, "
                + "size=\\d+, nrcpt=1, origin=\\S+\\)\\n(.*\\n)*relay \\1: delivered to=<friend@remote.test> "
                + "relay=127.0.0.1\\[127.0.0.1\\]:\\d+ dsn=2.0.0");
    }

    /**
     * The relay's deferred and bounced meters, read by the Prometheus parser: the smart host refuses one recipient
     * for good (550: bounced, and the DSN goes back through the smart host) and another for now (451: deferred,
     * still queued).
     */
    @Test
    void deferredAndBouncedRecipientsAreCounted() throws Exception {
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        try (MailKit smartHost = MailKit.builder().build().start()) {
            smartHost.faults().rejectRecipient("gone@remote.test", 550, "5.1.1", "no such user")
                    .rejectRecipient("later@remote.test", 451, "4.2.1", "mailbox busy");
            ServerOptions o = ServerOptions.parse("--smtp-port", "0", "--submission-port", "0", "--smtps-port", "0",
                    "--imap-port", "0", "--imaps-port", "0", "--pop3-port", "0", "--pop3s-port", "0",
                    "--managesieve-port", "0", "--http-port", "0", "--domain", "local.test", "--data",
                    data.toString(), "--relay-host", "127.0.0.1:" + smartHost.smtpPort(), "--trusted-network",
                    "127.0.0.0/8");
            try (MailkitServerMain.Running r = MailkitServerMain.start(o, out)) {
                int mx = r.smtp().port(SmtpRole.MX);
                ExamplesTestSupport.send(mx, "x@remote.test", "gone@remote.test", "bounces", null, null, null);
                ExamplesTestSupport.send(mx, "y@remote.test", "later@remote.test", "waits", null, null, null);
                // the DSN of the bounce reaches x@remote.test through the smart host
                assertThat(smartHost.takeMessage(Duration.ofSeconds(30)).envelope().recipients().toString())
                        .contains("x@remote.test");
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!(r.relay().size() == 1 && r.relay().list().get(0).attempts() >= 1)) {
                    assertThat(System.nanoTime()).as("the deferral within 30 s: " + r.relay().list())
                            .isLessThan(deadline);
                    java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
                }
                ExternalTool.Result scrape = ExternalTool.run(List.of(ExternalTool.python().toString(), "-c", SCRAPE,
                        "http://127.0.0.1:" + r.web().port() + "/metrics"), null, Duration.ofSeconds(30));
                assertThat(scrape.exitCode).as(scrape.toString()).isZero();
                assertThat(scrape.stdout.lines().toList()).contains(
                        "mailkit_relay_recipients_total{outcome=bounced} 1.0",
                        "mailkit_relay_recipients_total{outcome=deferred} 1.0",
                        "mailkit_relay_recipients_total{outcome=delivered} 1.0",
                        "mailkit_queue_size{} 1.0");
            }
        }
    }
}
