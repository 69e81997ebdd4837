package dev.mailkit.test.junit;

import dev.mailkit.test.Faults;
import dev.mailkit.test.MailKit;
import dev.mailkit.test.ReceivedMail;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A JUnit 5 extension that gives each test (or each test class) its own throwaway mail server.
 *
 * <pre>{@code
 * @RegisterExtension
 * static MailKitExtension mail = MailKitExtension.builder()
 *         .smtp()
 *         .user("alice@example.test", "secret")
 *         .build();                          // a new server per test; .perClass() for one per class
 *
 * @Test void sendsWelcomeMail() {
 *     app.register("bob@example.test");      // the app sends to localhost:mail.smtpPort()
 *     ReceivedMail m = mail.takeMessage();   // waits (10 s by default), then fails listing what did arrive
 *     MailKitAssertions.assertThat(m).hasSubject("Welcome").hasRecipient("bob@example.test");
 * }
 * }</pre>
 *
 * <p>Per-test servers work with parallel test execution: the methods of this class act on the server of the test
 * running on the calling thread; a test can also take the {@link MailKit} as a parameter. {@code @Nested} classes share
 * the enclosing class's server in per-class mode. In per-class mode the server starts the first time it is needed
 * (even from a static initialiser or Spring's {@code @DynamicPropertySource}) and stops after the class. Thread-safe.
 */
public final class MailKitExtension implements MailKitOperations, BeforeAllCallback, AfterAllCallback,
        BeforeEachCallback, AfterEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(MailKitExtension.class);

    private final List<Consumer<MailKit.Builder>> setup;
    private final boolean perClass;
    private final ThreadLocal<MailKit> current = new ThreadLocal<>();
    private final Set<MailKit> active = ConcurrentHashMap.newKeySet();
    private volatile MailKit classServer;
    private volatile String classOwner;

    private MailKitExtension(List<Consumer<MailKit.Builder>> setup, boolean perClass) {
        this.setup = List.copyOf(setup);
        this.perClass = perClass;
    }

    /** A builder with the defaults of {@link MailKit.Builder}, one server per test. */
    public static Builder builder() {
        return new Builder();
    }

    private MailKit newServer() {
        MailKit.Builder b = MailKit.builder();
        for (Consumer<MailKit.Builder> s : setup) {
            s.accept(b);
        }
        return b.build().start();
    }

    private MailKit classServer() {
        MailKit s = classServer;
        if (s == null) {
            synchronized (this) {
                s = classServer;
                if (s == null) {
                    s = newServer();
                    classServer = s;
                }
            }
        }
        return s;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (perClass && classOwner == null) {
            classOwner = context.getUniqueId(); // the outermost class owns it; @Nested classes share it
            classServer();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (perClass && context.getUniqueId().equals(classOwner)) {
            MailKit s = classServer;
            classServer = null;
            classOwner = null;
            if (s != null) {
                s.close();
            }
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (perClass) {
            current.set(classServer());
            return;
        }
        MailKit s = newServer();
        active.add(s);
        context.getStore(NS).put(MailKit.class, s);
        current.set(s);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        current.remove();
        if (!perClass) {
            MailKit s = context.getStore(NS).remove(MailKit.class, MailKit.class);
            if (s != null) {
                active.remove(s);
                s.close();
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        return p.getParameter().getType() == MailKit.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        if (perClass) {
            return classServer();
        }
        MailKit s = e.getStore(NS).get(MailKit.class, MailKit.class);
        if (s == null) {
            throw new ParameterResolutionException("a per-test MailKit server exists only in test methods "
                    + "(use perClass() to inject it into constructors or @BeforeAll methods)");
        }
        return s;
    }

    /**
     * The server of the test running on this thread (or of the class in per-class mode); every method of
     * {@link MailKitOperations} acts on it.
     *
     * @throws IllegalStateException if called outside a test's thread in per-test mode
     */
    @Override
    public MailKit server() {
        if (perClass) {
            return classServer();
        }
        MailKit s = current.get();
        if (s != null) {
            return s;
        }
        if (active.size() == 1) {
            return active.iterator().next();
        }
        throw new IllegalStateException(active.isEmpty()
                ? "no mail server is running: the extension starts one per test (or use perClass())"
                : "several tests run in parallel: call this from the test method's own thread, or take the "
                        + "MailKit as a test method parameter");
    }

    /** Builds a {@link MailKitExtension}; the configuration methods are those of {@link MailKit.Builder}. */
    public static final class Builder {
        private final List<Consumer<MailKit.Builder>> setup = new ArrayList<>();
        private boolean perClass;

        private Builder() {
        }

        /** SMTP (on by default). */
        public Builder smtp() {
            setup.add(MailKit.Builder::smtp);
            return this;
        }

        /** See {@link MailKit.Builder#imap}. */
        public Builder imap() {
            setup.add(MailKit.Builder::imap);
            return this;
        }

        /** See {@link MailKit.Builder#pop3}. */
        public Builder pop3() {
            setup.add(MailKit.Builder::pop3);
            return this;
        }

        /** See {@link MailKit.Builder#web}. */
        public Builder web() {
            setup.add(MailKit.Builder::web);
            return this;
        }

        /** See {@link MailKit.Builder#sieve}. */
        public Builder sieve() {
            setup.add(MailKit.Builder::sieve);
            return this;
        }

        /** See {@link MailKit.Builder#user}. */
        public Builder user(String address, String password) {
            setup.add(b -> b.user(address, password));
            return this;
        }

        /** See {@link MailKit.Builder#acceptAnyLogin}. */
        public Builder acceptAnyLogin() {
            setup.add(MailKit.Builder::acceptAnyLogin);
            return this;
        }

        /** See {@link MailKit.Builder#domains}. */
        public Builder domains(String... domains) {
            setup.add(b -> b.domains(domains));
            return this;
        }

        /** See {@link MailKit.Builder#tls}. */
        public Builder tls() {
            setup.add(MailKit.Builder::tls);
            return this;
        }

        /** See {@link MailKit.Builder#requireAuth}. */
        public Builder requireAuth() {
            setup.add(MailKit.Builder::requireAuth);
            return this;
        }

        /** See {@link MailKit.Builder#requireTls}. */
        public Builder requireTls() {
            setup.add(MailKit.Builder::requireTls);
            return this;
        }

        /** See {@link MailKit.Builder#timeout}. */
        public Builder timeout(Duration d) {
            setup.add(b -> b.timeout(d));
            return this;
        }

        /** Any other set-up of the underlying {@link MailKit.Builder}. */
        public Builder configure(Consumer<MailKit.Builder> step) {
            setup.add(step);
            return this;
        }

        /** One server for the whole test class (and its {@code @Nested} classes) instead of one per test. */
        public Builder perClass() {
            this.perClass = true;
            return this;
        }

        /**
         * Builds the extension.
         *
         * @throws IllegalStateException if the server configuration is contradictory (checked now, not in a test)
         */
        public MailKitExtension build() {
            MailKit.Builder check = MailKit.builder();
            for (Consumer<MailKit.Builder> s : setup) {
                s.accept(check);
            }
            check.build(); // validates without binding anything
            return new MailKitExtension(setup, perClass);
        }
    }
}
