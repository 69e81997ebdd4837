/**
 * Spring Boot auto-configuration for mailkit: {@link dev.mailkit.spring.MailKitAutoConfiguration} starts the servers
 * that the {@code mailkit.*} properties ({@link dev.mailkit.spring.MailKitProperties}) enable, as one
 * {@link dev.mailkit.spring.MailKitServers} bean that starts and stops with the application context.
 */
package dev.mailkit.spring;
