package dev.lineagehub.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The README's example worker is the class the build compiles, so it cannot drift from the SDK. */
class ReadmeExampleTest {

    @Test
    void theReadmeShowsTheExampleWorkerAsCompiled() throws IOException {
        String source = Files.readString(Path.of("src/main/java/dev/lineagehub/local/ExampleWorker.java"));
        String readme = Files.readString(Path.of("../README.md"));
        String body = source.substring(source.indexOf("public final class ExampleWorker")).strip();

        String block = readme.substring(readme.indexOf("<!-- example-worker -->"));
        block = block.substring(block.indexOf("```java") + "```java".length(), block.indexOf("```", block.indexOf("```java") + 7)).strip();
        assertThat(block).isEqualTo(body);
    }
}
