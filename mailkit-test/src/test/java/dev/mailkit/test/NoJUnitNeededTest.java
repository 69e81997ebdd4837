package dev.mailkit.test;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Code that only wants the server needs neither JUnit nor AssertJ: a program using {@link MailKit} runs in a JVM whose
 * class path has no JUnit, AssertJ or test-kit jar at all.
 */
class NoJUnitNeededTest {
    @Test
    void mailKitRunsWithoutJUnitOrAssertJOnTheClassPath() throws Exception {
        List<String> kept = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            if (!name.contains("junit") && !name.contains("assertj") && !name.contains("opentest4j")
                    && !name.contains("apiguardian") && !name.contains("surefire")) {
                kept.add(entry);
            }
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", String.join(File.pathSeparator, kept), Plain.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("received: Plain Java, no JUnit");
    }

    /** A plain program, as an application's own test harness or a tool would use MailKit. */
    public static final class Plain {
        public static void main(String[] args) throws Exception {
            try {
                Class.forName("org.junit.jupiter.api.Test");
                throw new IllegalStateException("JUnit is on the class path: the test is not testing anything");
            } catch (ClassNotFoundException expected) {
                // as it should be
            }
            try (MailKit mail = MailKit.builder().imap().build().start()) {
                Mailer c = new Mailer(mail.smtpPort());
                c.send(c.simple("a@x.test", "b@y.test", "Plain Java, no JUnit", "hello"));
                System.out.println("received: " + mail.takeMessage().subject());
            }
        }
    }
}
