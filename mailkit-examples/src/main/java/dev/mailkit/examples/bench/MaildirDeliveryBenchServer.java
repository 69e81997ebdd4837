package dev.mailkit.examples.bench;

import dev.mailkit.core.MailAddress;
import dev.mailkit.core.auth.InMemoryUserDirectory;
import dev.mailkit.smtp.SmtpServer;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.delivery.DeliveryAgent;
import dev.mailkit.store.maildir.MaildirMailStore;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The end-to-end delivery path as bench/maildir-delivery.sh measures it: an MX listener for local.test on the given
 * port, the {@link DeliveryAgent} with the user rcpt@local.test, and a {@link MaildirMailStore} in the given
 * directory with fsync on, exactly as the runnable server delivers (without its per-message console line). Prints
 * "ready PORT", then "count N" (messages in rcpt@local.test's INBOX) for every line read on stdin; exits at the end
 * of input, closing the store cleanly.
 */
public final class MaildirDeliveryBenchServer {
    private MaildirDeliveryBenchServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path data = Path.of(args[1]);
        InMemoryUserDirectory users = InMemoryUserDirectory.builder().passwordHashIterations(1000)
                .user("rcpt@local.test", "bench").build();
        try (MaildirMailStore store = MaildirMailStore.builder(data).build();
             SmtpServer s = SmtpServer.builder().localDomains("local.test").mx(port)
                     .sink(DeliveryAgent.builder().store(store).users(users).build())
                     .maxConnectionsPerAddress(1000).build().start();
             Mailbox inbox = store.account(MailAddress.parse("rcpt@local.test")).open(MailboxName.INBOX)) {
            System.out.println("ready " + s.port());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
            while (in.readLine() != null) {
                System.out.println("count " + inbox.status().messages());
                System.out.flush();
            }
        }
    }
}
