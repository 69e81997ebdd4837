package dev.mailkit.web;

import dev.mailkit.core.sink.InMemorySink;
import dev.mailkit.core.sink.ReceivedMessage;
import dev.mailkit.smtp.SmtpServer;
import dev.mailkit.testsupport.ExternalTool;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mailpit compatibility proven by a real client: the {@code mailpit-api} npm package (Node.js from Debian, the package
 * from the npm registry through {@code npm ci} and the committed lock file) runs list, search, summary, headers,
 * raw, parts, read status, tags, release, send and delete against mailkit. Release goes to a second, real mailkit
 * SMTP server, which must receive the message.
 */
class MailpitNpmClientTest {
    @Test
    void theMailpitApiClientWorksAgainstMailkit() throws Exception {
        Path node = ExternalTool.require("node");
        Path npm = ExternalTool.require("npm");
        Path project = Files.createDirectories(Path.of("target", "node-client"));
        for (String f : List.of("package.json", "package-lock.json", "mailpit-client.mjs")) {
            Files.copy(Path.of("src", "test", "node", f), project.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        ExternalTool.run(List.of(npm.toString(), "ci", "--no-audit", "--no-fund", "--loglevel=error"), null,
                Duration.ofMinutes(3), Map.of(), project).assertSuccess();

        InMemorySink released = new InMemorySink();
        try (SmtpServer target = SmtpServer.builder().acceptAllDomains().sink(released).build().start();
             WebFixture f = WebFixture.open(b -> { })) {
            try (WebServer withRelease = WebServer.builder().store(f.store).trace(f.trace)
                    .openAccess(WebFixture.CAPTURE).submission(MailSender.smtp("127.0.0.1", f.smtp.port()))
                    .release(MailSender.smtp("127.0.0.1", target.port())).build().start()) {
                f.send("smtp-sender@example.org", List.of("someone@example.test"), WebFixture.message(
                        "smtp-sender@example.org", "someone@example.test", "Over SMTP", "sent with SMTP"));
                ExternalTool.Result r = ExternalTool.run(List.of(node.toString(), "mailpit-client.mjs",
                        withRelease.url(), "released@example.net"), null, Duration.ofMinutes(1), Map.of(), project);
                assertThat(r.exitCode).as(r.toString()).isZero();
                assertThat(r.stdout).contains("all 16 checks passed");
            }
            ReceivedMessage m = released.poll(Duration.ofSeconds(10)).orElseThrow();
            assertThat(m.envelope().recipients()).extracting(Object::toString).containsExactly("released@example.net");
            assertThat(m.envelope().reversePathString()).isEqualTo("<npm@example.org>");
            assertThat(m.source().asString()).contains("Subject: npm hello").contains("X-Test: yes");
        }
    }
}
