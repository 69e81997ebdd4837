package dev.mailkit.relay;

import dev.mailkit.dns.StaticDnsResolver;
import dev.mailkit.core.sink.DeliveryReport;
import dev.mailkit.smtp.SmtpServer;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The program {@link RelayDurabilityTest} runs in a child JVM and kills: an SMTP server that relays for loopback
 * clients into a relay queue in the given directory, delivering every remote.test recipient to 127.0.0.1:PORT.
 * Prints "ready PORT QUEUED" (QUEUED: the messages recovered from the directory), then "queued N" for every line read
 * on standard input, and runs until its standard input ends (or it is killed).
 */
public final class RelayChild {
    private RelayChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int remotePort = Integer.parseInt(args[1]);
        try (RelayQueue q = RelayQueue.builder(dir).mxPort(remotePort)
                .resolver(StaticDnsResolver.builder().mx("remote.test", 10, "mx.remote.test")
                        .address("mx.remote.test", "127.0.0.1").build())
                .retryPolicy(RetryPolicy.builder().initialDelay(Duration.ofMillis(100)).maxDelay(Duration.ofMillis(400))
                        .build())
                .maxConnectionsPerDestination(4).build().start();
             SmtpServer s = SmtpServer.builder().localDomains("child.test").trustedNetworks("127.0.0.0/8").relay(q)
                     .sink((e, m) -> DeliveryReport.allDelivered()).maxConnectionsPerAddress(100).build().start()) {
            System.out.println("ready " + s.port() + " " + q.size());
            System.out.flush();
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
                    java.nio.charset.StandardCharsets.US_ASCII));
            while (in.readLine() != null) {
                System.out.println("queued " + q.size());
                System.out.flush();
            }
        }
    }
}
