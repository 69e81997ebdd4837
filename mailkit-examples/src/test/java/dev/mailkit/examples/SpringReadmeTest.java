package dev.mailkit.examples;

import org.junit.jupiter.api.Test;

/** The README's Spring Boot test ("after") is the compiled and run WelcomeMailSpringBootTest, line for line. */
class SpringReadmeTest {
    @Test
    void readmeShowsTheCompiledSpringBootTest() throws Exception {
        ExamplesTestSupport.assertReadmeShows(
                "src/test/java/dev/mailkit/examples/spring/WelcomeMailSpringBootTest.java", "README-SPRING-TEST");
    }
}
