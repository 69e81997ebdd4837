package dev.mailkit.examples;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddingExampleTest {
    @Test
    void theReadmeExampleReceivesMail() throws Exception {
        String subject = EmbeddingExample.receiveOne(port -> {
            try {
                ExamplesTestSupport.send(port, "app@sender.test", "support@example.test", "Order #42", null, null, null);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertThat(subject).isEqualTo("Order #42");
    }

    /** README.md shows exactly the code that this module compiles and tests. */
    @Test
    void readmeShowsTheCompiledExample() throws Exception {
        ExamplesTestSupport.assertReadmeShows("src/main/java/dev/mailkit/examples/EmbeddingExample.java", "README-EXAMPLE");
    }
}
