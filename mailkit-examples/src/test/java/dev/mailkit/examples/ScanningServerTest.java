package dev.mailkit.examples;

import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.scan.daemons.ClamavMilter;
import dev.mailkit.scan.daemons.Clamd;
import dev.mailkit.scan.daemons.RealDaemons;
import dev.mailkit.scan.daemons.Spamd;
import dev.mailkit.smtp.SmtpRole;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The runnable server's scanning options, with real spamd, clamd and clamav-milter. */
@ExtendWith(RealDaemons.class)
class ScanningServerTest {
    @TempDir
    Path data;

    @Test
    void theServerScansWithTheScannersItIsGivenAndFilesSpamIntoJunk(Spamd spamd, Clamd clamd, ClamavMilter milter)
            throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ServerOptions o = ServerOptions.parse("--smtp-port", "0", "--submission-port", "0", "--smtps-port", "0",
                "--imap-port", "0", "--imaps-port", "0", "--pop3-port", "0", "--pop3s-port", "0", "--managesieve-port", "0",
                "--domain", "local.test", "--user", "rcpt@local.test:secret", "--data", data.toString(),
                "--spamd", spamd.address(), "--clamd", clamd.tcpAddress(), "--milter", milter.address(),
                "--scan-failure", "tempfail");
        try (MailkitServerMain.Running r = MailkitServerMain.start(o, new PrintStream(buf, true,
                StandardCharsets.UTF_8))) {
            assertThat(buf.toString(StandardCharsets.UTF_8)).contains("content scanning    spamd " + spamd.address()
                    + ", clamd " + clamd.tcpAddress() + ", milter " + milter.address() + "; when one is down: 451 4.7.1");
            int mx = r.smtp().port(SmtpRole.MX);
            assertThat(ScanningExampleTest.send(mx, "rcpt@local.test", "Virus inside.", Clamd.EICAR.getBytes(StandardCharsets.US_ASCII)))
                    .startsWith("554 5.7.1 Virus found");
            assertThat(ScanningExampleTest.send(mx, "rcpt@local.test", Spamd.GTUBE, null)).startsWith("250");
            assertThat(ScanningExampleTest.send(mx, "rcpt@local.test", "Lunch at noon?", null)).startsWith("250");
            try (Mailbox junk = r.store().account(MailAddress.parse("rcpt@local.test")).open(MailboxName.of("Junk"));
                 Mailbox inbox = r.store().account(MailAddress.parse("rcpt@local.test")).open(MailboxName.INBOX)) {
                assertThat(junk.status().messages()).isEqualTo(1);
                assertThat(inbox.status().messages()).isEqualTo(1);
                try (MessageSource m = inbox.content(1).orElseThrow()) {
                    assertThat(m.headers().getHeader("X-Scan-Results", null).replace("\r\n\t", " ")).isEqualTo(
                            "local.test; spamd=clean (score=" + m.headers().getHeader("X-Spam-Score", null)
                                    + " required=5); clamd=clean; milter1=clean");
                    assertThat(m.headers().getHeader("X-Virus-Status", null)).isEqualTo("Clean");
                }
            }
        }
    }

    @Test
    void badScanningOptionsAreUsageErrors() throws Exception {
        assertThatThrownBy(() -> ServerOptions.parse("--clamd", "clamd")).hasMessageContaining("--clamd:")
                .hasMessageContaining("HOST:PORT or unix:PATH");
        assertThatThrownBy(() -> ServerOptions.parse("--rspamd", "ftp://x")).hasMessageContaining("--rspamd:");
        assertThatThrownBy(() -> ServerOptions.parse("--scan-failure", "maybe")).hasMessageContaining(
                "tempfail or accept");
        assertThatThrownBy(() -> ServerOptions.parse("--scan-outbound")).hasMessageContaining("needs a scanner");
        assertThatThrownBy(() -> ServerOptions.parse("--rspamd-controller", "http://127.0.0.1:11334"))
                .hasMessageContaining("needs --rspamd");
        assertThat(ServerOptions.parse("--milter", "inet:127.0.0.1:8891", "--milter", "unix:/run/x.sock")
                .get(ServerOptions.MILTERS)).containsExactly("inet:127.0.0.1:8891", "unix:/run/x.sock");
    }

    /** README.md names every setting: its flag and its key in the configuration file. */
    @Test
    void readmeListsEverySetting() throws Exception {
        String readme = java.nio.file.Files.readString(Path.of("..", "README.md"));
        for (dev.mailkit.examples.config.Setting<?> setting : ServerOptions.SETTINGS) {
            assertThat(readme).as("README.md names " + setting.flag()).contains("`" + setting.flag())
                    .contains(setting.key());
        }
    }
}
