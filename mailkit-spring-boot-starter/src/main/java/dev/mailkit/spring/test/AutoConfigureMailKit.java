package dev.mailkit.spring.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Starts a throwaway mailkit test server ({@code dev.mailkit.test.MailKit}, from mailkit-test) for a Spring test's
 * application context and points Spring Boot's mail sender at it, so the test needs no
 * {@code @DynamicPropertySource}:
 *
 * <pre>{@code
 * @SpringBootTest
 * @AutoConfigureMailKit(users = "app@shop.test:app-password")
 * class WelcomeMailTest {
 *     @Autowired MailKit mail;                    // the server: takeMessage(), faults(), purgeAll(), ...
 *     @Autowired Registration registration;       // the application, sending through its JavaMailSender
 *
 *     @Test
 *     void welcomes() {
 *         registration.register("bob@example.test");
 *         assertThat(mail.takeMessage()).hasSubject("Welcome");
 *     }
 * }
 * }</pre>
 *
 * <p>The server is a bean of type {@code MailKit} in the test's context, started before the context and closed with
 * it; tests that share a cached context share its server (purge it between tests with {@code mail.purgeAll()}).
 * These properties are set for the context:
 * <ul>
 *   <li>{@code spring.mail.host} ({@code 127.0.0.1}) and {@code spring.mail.port} (the SMTP port), and with users
 *       {@code spring.mail.username}, {@code spring.mail.password} (the first user) and
 *       {@code spring.mail.properties.mail.smtp.auth=true};</li>
 *   <li>with {@link #tls()}: STARTTLS required, and the server's certificate trusted through an SSL bundle
 *       ({@code spring.ssl.bundle.pem.mailkit-test}, used by {@code spring.mail.ssl.bundle}): nothing JVM-wide;</li>
 *   <li>{@code mailkit.test.host}, {@code mailkit.test.smtp-port}, and with IMAP, POP3 or TLS
 *       {@code mailkit.test.imap-port}, {@code mailkit.test.pop3-port}, {@code mailkit.test.smtps-port},
 *       {@code mailkit.test.imaps-port}, {@code mailkit.test.pop3s-port}, for an application that reads mail.</li>
 * </ul>
 * Needs mailkit-test (and spring-test) on the test class path. Meta-annotations and {@code @Nested} classes work as
 * with Spring's own test annotations.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface AutoConfigureMailKit {
    /** Users as {@code "address:password"}; with users, logins are checked (without, any login is accepted). */
    String[] users() default {};

    /** Adds STARTTLS and implicit-TLS ports with a generated certificate, and makes the mail sender require TLS. */
    boolean tls() default false;

    /** Adds an IMAP server: mail accepted over SMTP lands in each recipient's INBOX. */
    boolean imap() default false;

    /** Adds a POP3 server over the same mailboxes. */
    boolean pop3() default false;

    /** Requires AUTH before MAIL. */
    boolean requireAuth() default false;

    /** Accepts mail only for these domains (default: every domain). */
    String[] domains() default {};

    /** Whether to set {@code spring.mail.*} (default true); the {@code mailkit.test.*} properties are always set. */
    boolean springMail() default true;
}
