package dev.mailkit.spring;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootVersion;
import org.springframework.core.SpringVersion;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * These tests run twice: here on the Spring Boot line the starter is built against, and in
 * mailkit-spring-boot-starter-boot34-test on the 3.4 line. This one checks that each run really is on the line its
 * build says (mailkit.expected-spring-boot-line, set by surefire).
 */
class SpringBootVersionTest {
    @Test
    void runsOnTheSpringBootLineTheBuildNames() {
        String expected = System.getProperty("mailkit.expected-spring-boot-line");
        assertThat(expected).as("surefire sets mailkit.expected-spring-boot-line").isNotBlank();
        assertThat(SpringBootVersion.getVersion()).startsWith(expected);
        assertThat(SpringVersion.getVersion()).startsWith("6.");
    }
}
