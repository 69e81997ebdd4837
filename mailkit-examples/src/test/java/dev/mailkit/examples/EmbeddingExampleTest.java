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
        String source = Files.readString(Path.of("src/main/java/dev/mailkit/examples/EmbeddingExample.java"));
        String snippet = source.substring(source.indexOf("// README-EXAMPLE-START") + "// README-EXAMPLE-START".length(),
                source.indexOf("// README-EXAMPLE-END"));
        String readme = Files.readString(Path.of("..", "README.md"));
        for (String line : snippet.strip().split("\n")) {
            assertThat(readme).as("README.md shows the example line").contains(line.strip());
        }
    }
}
