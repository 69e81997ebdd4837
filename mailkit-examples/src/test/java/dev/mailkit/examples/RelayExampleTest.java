package dev.mailkit.examples;

import dev.mailkit.core.auth.InMemoryUserDirectory;
import dev.mailkit.core.sink.InMemorySink;
import dev.mailkit.core.tls.TlsConfig;
import dev.mailkit.smtp.SmtpServer;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class RelayExampleTest {
    @TempDir
    Path dir;

    @Test
    void theReadmeRelayExampleSendsThroughASmartHost() throws Exception {
        InMemorySink provider = new InMemorySink();
        InMemoryUserDirectory accounts = InMemoryUserDirectory.builder().passwordHashIterations(1000)
                .user("me@example.com", "secret").build();
        Path key = dir.resolve("dkim.pem");
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(
                KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        try (SmtpServer smartHost = SmtpServer.builder().submission(0).users(accounts).tls(TlsConfig.selfSigned())
                .acceptAllDomains().sink(provider).build().start()) {
            MimeMessage m = new MimeMessage(Session.getInstance(new Properties()));
            m.setFrom(new InternetAddress("app@example.com"));
            m.setRecipients(jakarta.mail.Message.RecipientType.TO, "customer@elsewhere.test");
            m.setSubject("Your order #42");
            m.setText("Thank you!\n");
            String id = RelayExample.sendOne(dir.resolve("queue"), "127.0.0.1", smartHost.port(), "me@example.com",
                    "secret", key, m);
            assertThat(id).isNotEmpty();
            assertThat(provider.await(1, Duration.ofSeconds(10))).isTrue();
            assertThat(provider.messages().get(0).envelope().authenticatedUser()).contains("me@example.com");
            assertThat(provider.messages().get(0).source().asString()).contains("d=example.com; s=s1;")
                    .contains("Subject: Your order #42");
        }
    }

    /** README.md shows exactly the code that this module compiles and tests. */
    @Test
    void readmeShowsTheCompiledExample() throws Exception {
        ExamplesTestSupport.assertReadmeShows("src/main/java/dev/mailkit/examples/RelayExample.java", "README-RELAY");
    }
}
