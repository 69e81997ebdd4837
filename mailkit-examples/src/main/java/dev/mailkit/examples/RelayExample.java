package dev.mailkit.examples;

import dev.mailkit.mailauth.dkim.DkimSigner;
import dev.mailkit.relay.RelayQueue;
import dev.mailkit.relay.SmartHost;
import jakarta.mail.internet.MimeMessage;

import java.nio.file.Path;
import java.time.Duration;

/** The relay example shown in README.md (the README test keeps the two identical). */
public final class RelayExample {
    private RelayExample() {
    }

    /** Queues one message for the smart host {@code host:port} with AUTH, DKIM-signed, and waits until it is sent. */
    public static String sendOne(Path queueDirectory, String host, int port, String user, String password,
                                 Path dkimKey, MimeMessage mimeMessage) throws Exception {
        // README-RELAY-START
        try (RelayQueue relay = RelayQueue.builder(queueDirectory)       // one directory per queue
                .hostName("mail.example.com")                              // EHLO name and DSN sender
                .smartHost(SmartHost.builder(host, port).auth(user, password).build()) // or MX delivery
                .signers(DkimSigner.fromPem("example.com", "s1", dkimKey)) // signs mail From: example.com
                .onEvent(event -> System.out.println(event))               // every attempt, with the reply
                .build()
                .start()) {
            String queueId = relay.submit(mimeMessage);                    // returns once fsync'd to disk
            relay.awaitEmpty(Duration.ofSeconds(30));                      // a server would keep running
            // README-RELAY-END
            return queueId;
        }
    }
}
