package dev.mailkit.spring;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.support.SpringFactoriesLoader;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A wrong property stops the application with Spring Boot's failure analysis: the analyzers registered in
 * {@code spring.factories} are asked, as SpringApplication asks them, and mailkit's names the property, its value,
 * the problem and what to change.
 */
class FailureAnalysisTest {
    final ApplicationContextRunner runner = MailKitAutoConfigurationTest.RUNNER;

    @Test
    void aMaildirStoreWithoutADirectory() {
        FailureAnalysis a = analysis(runner.withPropertyValues("mailkit.imap.enabled=true",
                "mailkit.store.type=maildir"));
        assertThat(a.getDescription()).isEqualTo("mailkit could not start: mailkit.store.directory (not set): the "
                + "maildir store keeps mail in a directory, and none is set");
        assertThat(a.getAction()).contains("Set mailkit.store.directory");
    }

    @Test
    void anSmtpsPortWithoutTls() {
        FailureAnalysis a = analysis(runner.withPropertyValues("mailkit.smtp.enabled=true",
                "mailkit.smtp.smtps-port=0"));
        assertThat(a.getDescription()).contains("mailkit.smtp.smtps-port = 0: an SMTPS port needs TLS");
        assertThat(a.getAction()).contains("mailkit.tls.self-signed=true");
    }

    @Test
    void aTrustedNetworkThatIsNotCidr(@TempDir Path dir) {
        FailureAnalysis a = analysis(runner.withPropertyValues("mailkit.smtp.enabled=true",
                "mailkit.relay.enabled=true", "mailkit.relay.directory=" + dir,
                "mailkit.smtp.trusted-networks=192.0.2.0/33"));
        assertThat(a.getDescription()).startsWith("mailkit could not start: mailkit.smtp.trusted-networks = "
                + "[192.0.2.0/33]: ").contains("33");
    }

    @Test
    void aPortThatAnotherProcessHolds() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            FailureAnalysis a = analysis(runner.withPropertyValues("mailkit.imap.enabled=true",
                    "mailkit.imap.port=" + taken.getLocalPort()));
            assertThat(a.getDescription()).contains("mailkit.imap.port = port=" + taken.getLocalPort())
                    .contains("cannot listen");
            assertThat(a.getAction()).contains("0 picks a free one");
        }
    }

    @Test
    void theRelayWithoutMailkitRelayOnTheClassPath(@TempDir Path dir) {
        FailureAnalysis a = analysis(runner.withClassLoader(new FilteredClassLoader("dev.mailkit.relay."))
                .withPropertyValues("mailkit.smtp.enabled=true", "mailkit.relay.enabled=true",
                        "mailkit.relay.directory=" + dir));
        assertThat(a.getDescription()).contains("mailkit.relay.enabled = true: the relay queue is in mailkit-relay, "
                + "which is not on the class path");
        assertThat(a.getAction()).contains("dev.mailkit:mailkit-relay");
    }

    @Test
    void aUserWithoutAPassword() {
        FailureAnalysis a = analysis(runner.withPropertyValues("mailkit.pop3.enabled=true",
                "mailkit.users[0].address=ann@example.test"));
        assertThat(a.getDescription()).contains("mailkit.users[0].password (not set): a user needs either a "
                + "password or a password-hash, not neither");
    }

    @Test
    void aValueOfTheWrongKindIsReportedBySpringBootsOwnBindingAnalysis() {
        FailureAnalysis a = analysis(runner.withPropertyValues("mailkit.smtp.enabled=true",
                "mailkit.store.type=disk"));
        assertThat(a.getDescription()).contains("mailkit.store.type").contains("disk");
    }

    /** What SpringApplication would report: the first analysis of the registered analyzers. */
    static FailureAnalysis analysis(ApplicationContextRunner runner) {
        Throwable[] failure = new Throwable[1];
        runner.run(c -> failure[0] = c.getStartupFailure());
        assertThat(failure[0]).as("the context should fail to start").isNotNull();
        List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation(
                FailureAnalysisTest.class.getClassLoader()).load(FailureAnalyzer.class,
                SpringFactoriesLoader.ArgumentResolver.of(org.springframework.core.env.Environment.class,
                        new org.springframework.core.env.StandardEnvironment()).and(
                        org.springframework.beans.factory.BeanFactory.class,
                        new org.springframework.beans.factory.support.DefaultListableBeanFactory()),
                // as SpringApplication: an analyzer of a library that is not here (Hikari, ...) is skipped
                SpringFactoriesLoader.FailureHandler.handleMessage((message, e) -> { }));
        for (FailureAnalyzer analyzer : analyzers) {
            FailureAnalysis a = analyzer.analyze(failure[0]);
            if (a != null) {
                return a;
            }
        }
        throw new AssertionError("no failure analyzer reported " + failure[0], failure[0]);
    }
}
