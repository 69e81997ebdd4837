package dev.mailkit.examples;

import dev.mailkit.core.sink.InMemorySink;
import dev.mailkit.core.sink.ReceivedMessage;
import dev.mailkit.smtp.SmtpServer;

import java.time.Duration;

/** The embedding example shown in README.md (the README test keeps the two identical). */
public final class EmbeddingExample {
    private EmbeddingExample() {
    }

    /** Starts a receiver, lets {@code application} send to its port, and returns the subject that arrived. */
    public static String receiveOne(java.util.function.IntConsumer application) throws Exception {
        // README-EXAMPLE-START
        InMemorySink inbox = new InMemorySink();
        try (SmtpServer smtp = SmtpServer.builder()
                .localDomains("example.test")     // accept mail for this domain, relay nothing
                .sink(inbox)                       // or .onMessage((envelope, message) -> ...)
                .build()
                .start()) {                        // binds a free port on 127.0.0.1
            application.accept(smtp.port());       // your code sends mail to localhost:port
            ReceivedMessage mail = inbox.poll(Duration.ofSeconds(10)).orElseThrow();
            System.out.println(mail.envelope().recipients() + ": " + mail.source().mimeMessage().getSubject());
            // README-EXAMPLE-END
            return mail.source().mimeMessage().getSubject();
        }
    }
}
