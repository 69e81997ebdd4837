package dev.mailkit.spring.test.internal;

import dev.mailkit.spring.test.AutoConfigureMailKit;
import dev.mailkit.test.MailKit;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts the test server before the context is refreshed, registers it as the bean {@code mailKit} (closed with the
 * context, or when its refresh fails) and sets the properties {@link AutoConfigureMailKit} describes. Equal settings
 * make equal customizers, so Spring's context cache shares a context (and its server) between test classes that ask
 * for the same server.
 */
final class MailKitContextCustomizer implements ContextCustomizer {
    /** The name of the property source, and of the SSL bundle that trusts the server's certificate. */
    static final String NAME = "mailkit-test";

    private final Settings settings;

    MailKitContextCustomizer(Settings settings) {
        this.settings = settings;
    }

    /** What the annotation asked for, as a value. */
    record Settings(List<String> users, boolean tls, boolean imap, boolean pop3, boolean requireAuth,
                    List<String> domains, boolean springMail) {
        static Settings of(AutoConfigureMailKit a) {
            for (String u : a.users()) {
                if (u.indexOf(':') < 1) {
                    throw new IllegalArgumentException("@AutoConfigureMailKit(users = \"" + u + "\"): write each user "
                            + "as \"address:password\", e.g. \"app@shop.test:secret\"");
                }
            }
            return new Settings(List.of(a.users()), a.tls(), a.imap(), a.pop3(), a.requireAuth(),
                    List.of(a.domains()), a.springMail());
        }
    }

    @Override
    public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
        MailKit.Builder b = MailKit.builder().smtp();
        for (String u : settings.users) {
            int colon = u.indexOf(':');
            b.user(u.substring(0, colon), u.substring(colon + 1));
        }
        if (settings.tls) {
            b.tls();
        }
        if (settings.imap) {
            b.imap();
        }
        if (settings.pop3) {
            b.pop3();
        }
        if (settings.requireAuth) {
            b.requireAuth();
        }
        if (!settings.domains.isEmpty()) {
            b.domains(settings.domains.toArray(new String[0]));
        }
        MailKit mail = b.build().start();
        try {
            ConfigurableListableBeanFactory beans = context.getBeanFactory();
            beans.registerSingleton("mailKit", mail);
            if (beans instanceof DefaultSingletonBeanRegistry registry) {
                registry.registerDisposableBean("mailKit", mail::close);
            }
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource(NAME, properties(mail)));
        } catch (RuntimeException e) {
            mail.close();
            throw e;
        }
    }

    private Map<String, Object> properties(MailKit mail) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("mailkit.test.host", mail.host());
        p.put("mailkit.test.smtp-port", mail.smtpPort());
        if (settings.imap) {
            p.put("mailkit.test.imap-port", mail.imapPort());
        }
        if (settings.pop3) {
            p.put("mailkit.test.pop3-port", mail.pop3Port());
        }
        if (settings.tls) {
            p.put("mailkit.test.smtps-port", mail.smtpsPort());
            if (settings.imap) {
                p.put("mailkit.test.imaps-port", mail.imapsPort());
            }
            if (settings.pop3) {
                p.put("mailkit.test.pop3s-port", mail.pop3sPort());
            }
        }
        if (!settings.springMail) {
            return p;
        }
        p.put("spring.mail.host", mail.host());
        p.put("spring.mail.port", mail.smtpPort());
        p.put("spring.mail.protocol", "smtp");
        p.put("spring.mail.properties.mail.smtp.connectiontimeout", "10000");
        p.put("spring.mail.properties.mail.smtp.timeout", "30000");
        if (!settings.users.isEmpty() || settings.requireAuth) {
            String first = settings.users.isEmpty() ? "test@localhost:test" : settings.users.get(0);
            int colon = first.indexOf(':');
            p.put("spring.mail.username", first.substring(0, colon));
            p.put("spring.mail.password", first.substring(colon + 1));
            p.put("spring.mail.properties.mail.smtp.auth", "true");
        }
        if (settings.tls) {
            p.put("spring.mail.properties.mail.smtp.starttls.enable", "true");
            p.put("spring.mail.properties.mail.smtp.starttls.required", "true");
            p.put("spring.ssl.bundle.pem." + NAME + ".truststore.certificate", mail.certificatePem());
            p.put("spring.mail.ssl.bundle", NAME);
        }
        return p;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MailKitContextCustomizer c && c.settings.equals(settings);
    }

    @Override
    public int hashCode() {
        return settings.hashCode();
    }
}
