package dev.mailkit.spring.internal;

import dev.mailkit.spring.MailKitProperties;
import dev.mailkit.spring.MailKitServers;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mail.javamail.JavaMailSender;

/**
 * {@code mailkit.mail-sender.enabled=true}: the application's {@link JavaMailSender} sends through the embedded SMTP
 * server (Spring Boot's own, from {@code spring.mail.*}, then steps back).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "org.springframework.mail.javamail.JavaMailSenderImpl")
@ConditionalOnProperty(prefix = "mailkit.mail-sender", name = "enabled", havingValue = "true")
public class MailSenderConfiguration {
    /** The sender; its host and port are those of the running server, found at each connection. */
    @Bean
    JavaMailSender mailSender(MailKitServers servers, MailKitProperties p) {
        return new EmbeddedMailSender(servers, p);
    }
}
