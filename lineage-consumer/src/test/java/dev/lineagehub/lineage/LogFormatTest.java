package dev.lineagehub.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** The services' log lines: JSON in the image (LOG_FORMAT=json), text elsewhere, the level by LOG_LEVEL. */
class LogFormatTest {

    private final PrintStream stdout = System.out;

    @AfterEach
    void restore() throws Exception {
        System.setOut(stdout);
        System.clearProperty("LOG_FORMAT");
        System.clearProperty("LOG_LEVEL");
        configure();
    }

    private static void configure() throws Exception {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        new ContextInitializer(context).autoConfig();
    }

    private String logged(String format, String level) throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        System.setProperty("LOG_FORMAT", format);
        System.setProperty("LOG_LEVEL", level);
        configure();
        LoggerFactory.getLogger("dev.lineagehub.delivery").info("Delivered {} of partition {}", "orders-3@42", 3);
        LoggerFactory.getLogger("dev.lineagehub.delivery").debug("not at INFO");
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void jsonLinesCarryTheLevelLoggerAndFormattedMessage() throws Exception {
        String out = logged("json", "INFO");
        assertThat(out.lines()).hasSize(1);
        JsonNode line = new ObjectMapper().readTree(out.lines().findFirst().orElseThrow());
        assertThat(line.path("level").asText()).isEqualTo("INFO");
        assertThat(line.path("loggerName").asText()).isEqualTo("dev.lineagehub.delivery");
        assertThat(line.path("formattedMessage").asText()).isEqualTo("Delivered orders-3@42 of partition 3");
        assertThat(line.path("timestamp").asLong()).isPositive();
    }

    @Test
    void textLinesAndTheLevelFromTheEnvironment() throws Exception {
        String out = logged("text", "DEBUG");
        assertThat(out.lines()).hasSize(2);
        assertThat(out).contains("INFO  [").contains("dev.lineagehub.delivery - Delivered orders-3@42 of partition 3")
                .contains("DEBUG").contains("not at INFO");
    }
}
