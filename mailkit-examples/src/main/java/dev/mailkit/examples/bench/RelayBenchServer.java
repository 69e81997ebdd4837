package dev.mailkit.examples.bench;

import dev.mailkit.core.sink.InMemorySink;
import dev.mailkit.mailauth.dkim.DkimSigner;
import dev.mailkit.postgres.PostgresDatabase;
import dev.mailkit.postgres.PostgresQueueStorage;
import dev.mailkit.smtp.SmtpServer;
import dev.mailkit.relay.RelayEvent;
import dev.mailkit.relay.RelayQueue;
import dev.mailkit.relay.RelayTls;
import dev.mailkit.relay.SmartHost;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The relay as bench/smtp-relay.sh measures it: an MX listener for local.test that relays for 127.0.0.0/8 (as a
 * trusted network) through a durable relay queue in DIR to the smart host 127.0.0.1:SINKPORT (Postfix's smtp-sink).
 * Arguments: PORT SINKPORT DIR [DKIM-KEY]; DIR may instead be a JDBC URL ({@code jdbc:postgresql:...}): the queue is
 * then a {@link PostgresQueueStorage} in a fresh schema of that database (bench/pg-relay.sh); with a PEM private key (RSA or Ed25519), mail from load.test is DKIM-signed
 * (selector "bench", relaxed/relaxed), as bench/dkim-relay.sh measures it. Prints "ready PORT", then for every line on stdin "delivered D deferred F queued Q"
 * ("clear" first resets the counters); exits at end of input.
 */
public final class RelayBenchServer {
    private RelayBenchServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int sinkPort = Integer.parseInt(args[1]);
        PostgresDatabase db = null;
        RelayQueue.Builder relay;
        if (args[2].startsWith("jdbc:")) {
            db = PostgresDatabase.builder(args[2]).schema("relaybench" + ProcessHandle.current().pid())
                    .nodeName("bench").maxConnections(40).build();
            relay = RelayQueue.builder(PostgresQueueStorage.builder(db).build());
        } else {
            relay = RelayQueue.builder(Path.of(args[2]));
        }
        AtomicLong delivered = new AtomicLong();
        AtomicLong deferred = new AtomicLong();
        if (args.length > 3 && !args[3].isEmpty()) {
            relay.signers(DkimSigner.fromPem("load.test", "bench", Path.of(args[3])));
        }
        try (RelayQueue q = relay
                .smartHost(SmartHost.builder("127.0.0.1", sinkPort).tls(RelayTls.DISABLED).build())
                .onEvent(e -> {
                    if (e.type() == RelayEvent.Type.DELIVERED) {
                        delivered.incrementAndGet();
                    } else if (e.type() == RelayEvent.Type.DEFERRED || e.type() == RelayEvent.Type.BOUNCED) {
                        deferred.incrementAndGet();
                    }
                })
                .build().start();
             SmtpServer s = SmtpServer.builder().localDomains("local.test").mx(port).sink(new InMemorySink())
                     .trustedNetworks("127.0.0.0/8").relay(q).maxConnectionsPerAddress(1000).build().start()) {
            System.out.println("ready " + s.port());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
            String line;
            while ((line = in.readLine()) != null) {
                if (line.equals("clear")) {
                    delivered.set(0);
                    deferred.set(0);
                }
                System.out.println("delivered " + delivered.get() + " deferred " + deferred.get() + " queued "
                        + q.size());
                System.out.flush();
            }
        } finally {
            if (db != null) {
                db.close();
            }
        }
    }
}
