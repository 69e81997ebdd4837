/**
 * Test support for Spring Boot applications: {@link dev.mailkit.spring.test.AutoConfigureMailKit} starts a mailkit
 * test server for a test's application context and sets {@code spring.mail.*} for it.
 */
package dev.mailkit.spring.test;
