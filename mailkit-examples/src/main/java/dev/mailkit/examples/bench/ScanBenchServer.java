package dev.mailkit.examples.bench;

import dev.mailkit.core.MailAddress;
import dev.mailkit.core.auth.InMemoryUserDirectory;
import dev.mailkit.scan.MilterClient;
import dev.mailkit.scan.RspamdClient;
import dev.mailkit.scan.ScanFilter;
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
 * The scanning path as bench/scan-bench.sh measures it: two MX listeners for local.test delivering durably into one
 * Maildir (DeliveryAgent + MaildirMailStore with fsync, as the runnable server), the first scanning every message
 * with Rspamd over HTTP ({@code /checkv2}), the second through Rspamd's proxy worker as a milter (the path Postfix
 * takes). Arguments: data directory, Rspamd URL, milter address. Prints "ready HTTP-PORT MILTER-PORT", then
 * "count N" (messages in rcpt@local.test's INBOX) for every line read on stdin; exits at the end of input.
 */
public final class ScanBenchServer {
    private ScanBenchServer() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        InMemoryUserDirectory users = InMemoryUserDirectory.builder().passwordHashIterations(1000)
                .user("rcpt@local.test", "bench").build();
        ScanFilter http = ScanFilter.builder().hostName("mailkit.bench").scanner(RspamdClient.builder(args[1]).build())
                .build();
        ScanFilter milter = ScanFilter.builder().hostName("mailkit.bench")
                .milter(MilterClient.builder(args[2]).name("rspamd").build()).build();
        try (MaildirMailStore store = MaildirMailStore.builder(data).build()) {
            DeliveryAgent agent = DeliveryAgent.builder().store(store).users(users).build();
            try (SmtpServer a = SmtpServer.builder().localDomains("local.test").mx(0).sink(agent).filters(http)
                         .maxConnectionsPerAddress(1000).build().start();
                 SmtpServer b = SmtpServer.builder().localDomains("local.test").mx(0).sink(agent).filters(milter)
                         .maxConnectionsPerAddress(1000).build().start();
                 Mailbox inbox = store.account(MailAddress.parse("rcpt@local.test")).open(MailboxName.INBOX)) {
                System.out.println("ready " + a.port() + " " + b.port());
                System.out.flush();
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
                while (in.readLine() != null) {
                    System.out.println("count " + inbox.status().messages());
                    System.out.flush();
                }
            }
        }
    }
}
