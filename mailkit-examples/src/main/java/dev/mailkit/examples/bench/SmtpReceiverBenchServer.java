package dev.mailkit.examples.bench;

import dev.mailkit.core.sink.InMemorySink;
import dev.mailkit.smtp.SmtpServer;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The SMTP receiver as bench/smtp-receiver.sh measures it: one MX listener for local.test on the given port,
 * recording every message in an {@link InMemorySink} (or, with a second argument {@code discard}, keeping nothing). Prints "ready PORT", then a count of recorded messages for
 * every line read on stdin, and exits at end of input.
 */
public final class SmtpReceiverBenchServer {
    private SmtpReceiverBenchServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        boolean discard = args.length > 1 && args[1].equals("discard");
        InMemorySink sink = new InMemorySink();
        dev.mailkit.core.sink.MessageSink target = discard
                ? (e, m) -> dev.mailkit.core.sink.DeliveryReport.allDelivered(e.transactionId()) : sink;
        try (SmtpServer s = SmtpServer.builder().localDomains("local.test").mx(port).sink(target)
                .maxConnectionsPerAddress(1000).build().start()) {
            System.out.println("ready " + s.port());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
            String line;
            while ((line = in.readLine()) != null) {
                if (line.equals("clear")) {
                    sink.clear();
                }
                System.out.println("count " + sink.count());
                System.out.flush();
            }
        }
    }
}
