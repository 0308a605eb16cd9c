package dev.lineagehub.testing;

import dev.lineagehub.runtime.ConsumerDefinition;
import dev.lineagehub.runtime.ConsumerRuntime;

import org.apache.kafka.common.config.ConfigDef;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Keeps the README's configuration tables equal to what the code defines: each consumer's table sits
 * between {@code <!-- config:NAME -->} and {@code <!-- /config:NAME -->} and is rendered from its
 * {@link ConfigDef}, so a setting cannot be added, renamed or re-defaulted without the docs.
 */
public final class ConfigDocs {

    private ConfigDocs() {
    }

    public static String table(ConsumerDefinition definition) {
        return table(definition.envPrefix(), ConsumerRuntime.configDef(definition));
    }

    /** The table of any component's settings ({@code prefix} its variables' prefix), consumer or not. */
    public static String table(String prefix, ConfigDef def) {
        StringBuilder table = new StringBuilder("| variable | default | description |\n|---|---|---|\n");
        for (ConfigDef.ConfigKey key : def.configKeys().values()) {
            table.append("| `").append(key.name).append("` | ").append(defaultOf(key)).append(" | ")
                    .append(key.documentation.replace("|", "\\|")).append(" |\n");
        }
        table.append("| `").append(prefix).append("KAFKA_*` | | Any Kafka client or Streams property, e.g. `")
                .append(prefix).append("KAFKA_SECURITY_PROTOCOL=SASL_SSL`. |\n");
        return table.toString();
    }

    /** Fails, printing the table to paste, unless the README's section for this consumer is exactly the rendered table. */
    public static void assertReadmeDocuments(ConsumerDefinition definition) throws IOException {
        assertReadmeDocuments(definition.name(), definition.envPrefix(), ConsumerRuntime.configDef(definition));
    }

    /** As for a consumer, for any component whose README section is {@code <!-- config:NAME -->}. */
    public static void assertReadmeDocuments(String name, String prefix, ConfigDef def) throws IOException {
        String expected = table(prefix, def);
        String documented = documented(readme(), name);
        if (!expected.equals(documented)) {
            throw new AssertionError("README section <!-- config:" + name + " --> must be exactly:\n" + expected
                    + "\nbut is:\n" + documented);
        }
    }

    /** The table as the README has it, or null when the README has no section for this consumer. */
    public static String documented(Path readme, String consumer) throws IOException {
        String text = Files.readString(readme);
        String start = "<!-- config:" + consumer + " -->\n";
        String end = "<!-- /config:" + consumer + " -->";
        int from = text.indexOf(start);
        int to = text.indexOf(end);
        return from < 0 || to < from ? null : text.substring(from + start.length(), to);
    }

    /** The README at the root of the checkout, seen from a module's directory. */
    public static Path readme() {
        return Path.of("..", "README.md");
    }

    private static String defaultOf(ConfigDef.ConfigKey key) {
        if (key.type == ConfigDef.Type.PASSWORD) {
            return "(secret, none)";
        }
        if (!key.hasDefault() || key.defaultValue == null) {
            return "(none)";
        }
        String value = String.valueOf(key.defaultValue);
        return value.isEmpty() ? "(empty)" : "`" + value + "`";
    }
}
