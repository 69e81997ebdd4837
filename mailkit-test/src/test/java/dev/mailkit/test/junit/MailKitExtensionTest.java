package dev.mailkit.test.junit;

import dev.mailkit.test.MailKit;
import dev.mailkit.test.ReceivedMail;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static dev.mailkit.test.assertj.MailKitAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/** Runs sample test classes through the JUnit engine and checks what the extension did for them. */
class MailKitExtensionTest {
    static final Set<Integer> PORTS = ConcurrentHashMap.newKeySet();

    static void send(int port, String to, String subject) throws Exception {
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", String.valueOf(port));
        p.put("mail.smtp.timeout", "5000");
        Session s = Session.getInstance(p);
        MimeMessage m = new MimeMessage(s);
        m.setFrom(new InternetAddress("app@example.test"));
        m.setRecipients(jakarta.mail.Message.RecipientType.TO, to);
        m.setSubject(subject);
        m.setText("Hello " + to);
        Transport.send(m);
    }

    static Events run(Class<?> sample, boolean parallel) {
        EngineTestKit.Builder b = EngineTestKit.engine("junit-jupiter").selectors(selectClass(sample));
        if (parallel) {
            b.configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
                    .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
                    .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", "4");
        }
        return b.execute().testEvents();
    }

    @Test
    void aFreshServerPerTest() {
        PORTS.clear();
        run(PerMethodSample.class, false).assertStatistics(s -> s.started(3).succeeded(3));
        assertThat(PORTS).hasSize(3);
    }

    @Test
    void oneServerPerClassSharedWithNestedClassesAndInjected() {
        PORTS.clear();
        run(PerClassSample.class, false).assertStatistics(s -> s.started(3).succeeded(3));
        assertThat(PORTS).hasSize(1);
    }

    @Test
    void parallelTestsEachGetTheirOwnServer() {
        PORTS.clear();
        run(ParallelSample.class, true).assertStatistics(s -> s.started(6).succeeded(6));
        assertThat(PORTS).hasSize(6);
    }

    @Test
    void aTestThatWaitsInVainFailsWithTheStory() {
        Events events = run(FailingSample.class, false);
        events.assertStatistics(s -> s.failed(1));
        Throwable t = events.failed().stream().findFirst().orElseThrow().getPayload(
                org.junit.platform.engine.TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow();
        assertThat(t).isInstanceOf(AssertionError.class).hasMessageContaining("No message arrived within 200 ms")
                .hasMessageContaining("subject \"not the one\"");
    }

    static class PerMethodSample {
        @RegisterExtension
        static MailKitExtension mail = MailKitExtension.builder().smtp().build();

        @Test
        void one() throws Exception {
            check();
        }

        @Test
        void two() throws Exception {
            check();
        }

        @Test
        void injected(MailKit server) throws Exception {
            assertThat(server.smtpPort()).isEqualTo(mail.smtpPort());
            check();
        }

        private static void check() throws Exception {
            PORTS.add(mail.smtpPort());
            assertThat(mail.messages()).as("a fresh server").isEmpty();
            send(mail.smtpPort(), "bob@example.test", "Welcome");
            ReceivedMail m = mail.takeMessage();
            assertThat(m).hasSubject("Welcome").hasRecipient("bob@example.test").bodyContains("Hello");
        }
    }

    static class PerClassSample {
        @RegisterExtension
        static MailKitExtension mail = MailKitExtension.builder().perClass().build();
        static final int PORT_AT_CLASS_INIT = mail.smtpPort(); // usable early, e.g. in @DynamicPropertySource

        @Test
        void first(MailKit server) throws Exception {
            PORTS.add(server.smtpPort());
            assertThat(server.smtpPort()).isEqualTo(PORT_AT_CLASS_INIT);
            send(mail.smtpPort(), "a@example.test", "first");
            assertThat(mail.takeMessage().subject()).isEqualTo("first");
        }

        @Test
        void second() {
            PORTS.add(mail.smtpPort());
        }

        @Nested
        class Inner {
            @Test
            void sharesTheServer() {
                PORTS.add(mail.smtpPort());
            }
        }
    }

    @Execution(ExecutionMode.CONCURRENT)
    static class ParallelSample {
        @RegisterExtension
        static MailKitExtension mail = MailKitExtension.builder().build();

        @Test
        void a() throws Exception {
            check("a");
        }

        @Test
        void b() throws Exception {
            check("b");
        }

        @Test
        void c() throws Exception {
            check("c");
        }

        @Test
        void d() throws Exception {
            check("d");
        }

        @Test
        void e() throws Exception {
            check("e");
        }

        @Test
        void f() throws Exception {
            check("f");
        }

        private static void check(String name) throws Exception {
            PORTS.add(mail.smtpPort());
            send(mail.smtpPort(), name + "@example.test", name);
            List<ReceivedMail> all = mail.awaitMessages(1);
            assertThat(all).hasSize(1);
            assertThat(all.get(0)).hasSubject(name);
        }
    }

    static class FailingSample {
        @RegisterExtension
        static MailKitExtension mail = MailKitExtension.builder()
                .timeout(java.time.Duration.ofMillis(200)).build();

        @Test
        void waitsForAMessageThatNeverComes() throws Exception {
            send(mail.smtpPort(), "x@example.test", "not the one");
            mail.takeMessage();
            mail.takeMessage();
        }
    }
}
