package dev.mailkit.architecture;

import dev.mailkit.core.auth.InMemoryUserDirectory;
import dev.mailkit.core.server.ServerBuilder;
import dev.mailkit.core.sink.InMemorySink;
import dev.mailkit.imap.ImapServer;
import dev.mailkit.pop3.Pop3Server;
import dev.mailkit.smtp.SmtpServer;
import dev.mailkit.store.memory.MemoryMailStore;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The server builders speak one vocabulary: the same word for the same setting on SMTP, IMAP and POP3 (defined once,
 * in core's {@link ServerBuilder}), and the same reaction to contradicting values. A setting that one server
 * redefines, or an old word coming back, fails here.
 */
class ServerBuilderVocabularyTest {
    static final List<Class<?>> BUILDERS = List.of(SmtpServer.Builder.class, ImapServer.Builder.class,
            Pop3Server.Builder.class);

    /** Settings every server has, by name and parameter type. */
    static final Map<String, Class<?>> SHARED = Map.ofEntries(
            Map.entry("hostName", String.class),
            Map.entry("bindAddress", InetAddress.class),
            Map.entry("tls", dev.mailkit.core.tls.TlsConfig.class),
            Map.entry("requireTlsForLogin", boolean.class),
            Map.entry("users", dev.mailkit.core.auth.UserDirectory.class),
            Map.entry("authFailurePenalty", dev.mailkit.core.server.AuthFailurePenalty.class),
            Map.entry("maxAuthFailures", int.class),
            Map.entry("maxConnections", int.class),
            Map.entry("maxConnectionsPerAddress", int.class),
            Map.entry("idleTimeout", Duration.class),
            Map.entry("virtualThreads", boolean.class));

    /** The 0.1 names of shared settings (CHANGELOG: Renamed). */
    static final List<String> RETIRED = List.of("serverName", "allowInsecureAuth", "readTimeout");

    @Test
    void everyServerNamesTheSharedSettingsAlike() {
        List<String> missing = new ArrayList<>();
        for (Class<?> b : BUILDERS) {
            for (Map.Entry<String, Class<?>> e : SHARED.entrySet()) {
                try {
                    Method m = b.getMethod(e.getKey(), e.getValue());
                    assertThat(m.getDeclaringClass()).as(b.getName() + "." + e.getKey() + ": one definition for all")
                            .isEqualTo(ServerBuilder.class);
                } catch (NoSuchMethodException x) {
                    missing.add(b.getName() + "." + e.getKey() + "(" + e.getValue().getSimpleName() + ")");
                }
            }
            for (Method m : b.getMethods()) {
                if (Modifier.isPublic(m.getModifiers()) && RETIRED.contains(m.getName())) {
                    missing.add(b.getName() + "." + m.getName() + " is an old word: use the shared one");
                }
            }
        }
        assertThat(missing).isEmpty();
        // the same word where the meaning is each protocol's own (defaults and limits differ)
        for (Class<?> b : BUILDERS) {
            assertThat(hasMethod(b, "maxLineLength")).as(b.getName() + ".maxLineLength").isTrue();
        }
        assertThat(hasMethod(ImapServer.Builder.class, "loginTimeout")).isTrue();
        assertThat(hasMethod(Pop3Server.Builder.class, "loginTimeout")).isTrue();
        assertThat(hasMethod(SmtpServer.Builder.class, "sessionTimeout")).isTrue();
        assertThat(hasMethod(Pop3Server.Builder.class, "sessionTimeout")).isTrue();
    }

    @Test
    void everyServerRefusesTheSameContradictionsAlike() {
        InMemoryUserDirectory users = InMemoryUserDirectory.builder().user("a@example.test", "pw").build();
        Map<String, Supplier<Object>> tooManyPerAddress = Map.of(
                "SMTP", () -> SmtpServer.builder().sink(new InMemorySink()).maxConnections(10)
                        .maxConnectionsPerAddress(20).build(),
                "IMAP", () -> ImapServer.builder().users(users).maxConnections(10).maxConnectionsPerAddress(20)
                        .build(),
                "POP3", () -> Pop3Server.builder().store(MemoryMailStore.create()).users(users).maxConnections(10)
                        .maxConnectionsPerAddress(20).build());
        tooManyPerAddress.forEach((name, build) -> assertThatThrownBy(build::get).as(name)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("maxConnectionsPerAddress (20)").hasMessageContaining("maxConnections (10)"));
        Map<String, Supplier<Object>> tlsLoginWithoutTls = Map.of(
                "SMTP", () -> SmtpServer.builder().sink(new InMemorySink()).requireTlsForLogin(true).build(),
                "IMAP", () -> ImapServer.builder().users(users).requireTlsForLogin(true).build(),
                "POP3", () -> Pop3Server.builder().store(MemoryMailStore.create()).users(users)
                        .requireTlsForLogin(true).build());
        tlsLoginWithoutTls.forEach((name, build) -> assertThatThrownBy(build::get).as(name)
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("requireTlsForLogin(true) needs tls("));
        Map<String, Runnable> badHostName = Map.of(
                "SMTP", () -> SmtpServer.builder().hostName("two words"),
                "IMAP", () -> ImapServer.builder().hostName("two words"),
                "POP3", () -> Pop3Server.builder().hostName("two words"));
        badHostName.forEach((name, set) -> assertThatThrownBy(set::run).as(name)
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hostName must be"));
        // a total below the default per-address limit lowers it instead of contradicting it
        SmtpServer.builder().sink(new InMemorySink()).maxConnections(10).build().close();
        ImapServer.builder().users(users).maxConnections(10).build().close();
        Pop3Server.builder().store(MemoryMailStore.create()).users(users).maxConnections(10).build().close();
    }

    private static boolean hasMethod(Class<?> c, String name) {
        for (Method m : c.getMethods()) {
            if (m.getName().equals(name)) {
                return true;
            }
        }
        return false;
    }
}
