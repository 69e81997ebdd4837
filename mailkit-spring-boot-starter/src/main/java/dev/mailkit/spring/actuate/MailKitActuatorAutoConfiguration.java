package dev.mailkit.spring.actuate;

import dev.mailkit.spring.MailKitAutoConfiguration;
import dev.mailkit.spring.MailKitServers;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Actuator health ({@link MailKitHealthIndicator}, as {@code mailkit}; off with
 * {@code management.health.mailkit.enabled=false}) and Micrometer meters ({@link MailKitMetrics}) for the mailkit
 * servers, each only when its library is on the class path.
 */
@AutoConfiguration(after = MailKitAutoConfiguration.class)
@ConditionalOnBean(MailKitServers.class)
public class MailKitActuatorAutoConfiguration {
    /** Used by Spring Boot. */
    public MailKitActuatorAutoConfiguration() {
    }

    /** The health indicator, with Spring Boot Actuator. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
    @ConditionalOnProperty(prefix = "management.health.mailkit", name = "enabled", matchIfMissing = true)
    static class Health {
        @Bean
        @ConditionalOnMissingBean(name = "mailkitHealthIndicator")
        MailKitHealthIndicator mailkitHealthIndicator(MailKitServers servers) {
            return new MailKitHealthIndicator(servers);
        }
    }

    /** The meters, with Micrometer (bound by Spring Boot Actuator to every registry). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
    static class Metrics {
        @Bean
        @ConditionalOnMissingBean
        MailKitMetrics mailkitMetrics(MailKitServers servers) {
            return new MailKitMetrics(servers);
        }
    }
}
