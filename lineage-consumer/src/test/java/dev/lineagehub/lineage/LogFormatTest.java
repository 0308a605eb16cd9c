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
        return logged(format, level, "orders-3@42");
    }

    private String logged(String format, String level, String name) throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        System.setProperty("LOG_FORMAT", format);
        System.setProperty("LOG_LEVEL", level);
        configure();
        LoggerFactory.getLogger("dev.lineagehub.delivery").info("Delivered {} of partition {}", name, 3);
        LoggerFactory.getLogger("dev.lineagehub.delivery").debug("not at INFO");
        return captured.toString(StandardCharsets.UTF_8);
    }

    /** A job name with NUL, a line break and an ANSI escape: one line, no control character written raw. */
    @Test
    void controlCharactersFromEventNamesAreEscapedInBothFormats() throws Exception {
        String name = "dag\u0000.task\r\nFAKE ERROR line\u001b[2J";
        String text = logged("text", "INFO", name);
        assertThat(text.lines()).hasSize(1);
        assertThat(text.strip().chars().filter(c -> c < 0x20 && c != '\t')).isEmpty();
        assertThat(text).contains("Delivered dag\\u0000.task\\r\\nFAKE ERROR line\\u001b[2J of partition 3");
        String json = logged("json", "INFO", name);
        assertThat(json.lines()).hasSize(1);
        assertThat(json.strip().chars().filter(c -> c < 0x20)).isEmpty();
        assertThat(new ObjectMapper().readTree(json).path("formattedMessage").asText()).isEqualTo("Delivered " + name + " of partition 3");
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
