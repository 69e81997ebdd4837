package dev.mailkit.spring.test;

import org.junit.jupiter.api.Test;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.test.context.ContextCustomizer;
import dev.mailkit.spring.test.internal.MailKitContextCustomizerFactory;
import dev.mailkit.test.MailKit;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The customizer factory: which classes get a server, cache keys, and the server's life with its context. */
class MailKitContextCustomizerTest {
    final MailKitContextCustomizerFactory factory = new MailKitContextCustomizerFactory();

    @AutoConfigureMailKit(users = "a@b.test:pw")
    static class First {
    }

    @AutoConfigureMailKit(users = "a@b.test:pw")
    static class SameAsFirst {
    }

    @AutoConfigureMailKit(users = "a@b.test:other")
    static class Other {
    }

    @AutoConfigureMailKit(users = "no-password")
    static class Broken {
    }

    @Test
    void onlyAnnotatedClassesGetAServerAndEqualSettingsShareACachedContext() {
        assertThat(factory.createContextCustomizer(String.class, List.of())).isNull();
        ContextCustomizer first = factory.createContextCustomizer(First.class, List.of());
        assertThat(first).isEqualTo(factory.createContextCustomizer(SameAsFirst.class, List.of()))
                .hasSameHashCodeAs(factory.createContextCustomizer(SameAsFirst.class, List.of()))
                .isNotEqualTo(factory.createContextCustomizer(Other.class, List.of()));
        assertThatThrownBy(() -> factory.createContextCustomizer(Broken.class, List.of()))
                .hasMessageContaining("\"address:password\"");
    }

    @Test
    void theServerLivesAsLongAsItsContextAndSetsSpringMail() {
        GenericApplicationContext context = new GenericApplicationContext();
        factory.createContextCustomizer(First.class, List.of()).customizeContext(context, null);
        context.refresh();
        MailKit mail = context.getBean(MailKit.class);
        assertThat(context.getEnvironment().getProperty("spring.mail.port", Integer.class)).isEqualTo(mail.smtpPort());
        assertThat(context.getEnvironment().getProperty("spring.mail.username")).isEqualTo("a@b.test");
        assertThat(context.getEnvironment().getProperty("spring.mail.ssl.bundle")).isNull();
        int port = mail.smtpPort();
        context.close();
        assertThatThrownBy(() -> new java.net.Socket("127.0.0.1", port).close())
                .isInstanceOf(java.net.ConnectException.class);
    }
}
