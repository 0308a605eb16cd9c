package dev.lineagehub.runtime;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A consumer's settings, read from environment variables and validated once at start-up.
 *
 * <p>Every setting is a Kafka {@link ConfigDef} entry whose name is the environment variable itself, so
 * an error names the variable to fix ("Invalid value x for configuration LINEAGEHUB_LINEAGE_ADMIN_PORT: ...") and
 * the documentation table is generated from the same definitions ({@link ConfigDocs}). On top of the
 * defined settings, every {@code <PREFIX>KAFKA_<NAME>} variable becomes the Kafka client or Streams
 * property {@code <name>} with underscores read as dots, e.g. {@code LINEAGEHUB_LINEAGE_KAFKA_SASL_JAAS_CONFIG}
 * &rarr; {@code sasl.jaas.config}, so SASL, SSL and any tuning property can be set without code.
 */
public final class EnvConfig {

    private static final Pattern SENSITIVE = Pattern.compile("(?i).*(password|secret|token|jaas|credential|api_key|apikey).*");

    private final String prefix;
    private final ConfigDef definition;
    private final Map<String, Object> values;
    private final Map<String, String> kafka;

    private EnvConfig(String prefix, ConfigDef definition, Map<String, Object> values, Map<String, String> kafka) {
        this.prefix = prefix;
        this.definition = definition;
        this.values = values;
        this.kafka = kafka;
    }

    /**
     * @throws ConfigException naming the variable when a value is missing, malformed or out of range
     */
    public static EnvConfig parse(String prefix, ConfigDef definition, Map<String, String> env) {
        Map<String, String> relevant = env.entrySet().stream()
                .filter(e -> definition.names().contains(e.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        Map<String, Object> values = definition.parse(relevant);
        String kafkaPrefix = prefix + "KAFKA_";
        Map<String, String> kafka = new TreeMap<>();
        env.forEach((name, value) -> {
            if (name.startsWith(kafkaPrefix) && name.length() > kafkaPrefix.length()) {
                kafka.put(name.substring(kafkaPrefix.length()).toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        return new EnvConfig(prefix, definition, values, kafka);
    }

    public String prefix() {
        return prefix;
    }

    public String getString(String name) {
        return (String) value(name);
    }

    /** A file path setting; empty when the variable is unset or blank. */
    public Optional<Path> getPath(String name) {
        return Optional.of(getString(name)).filter(path -> !path.isBlank()).map(Path::of);
    }

    public int getInt(String name) {
        return (Integer) value(name);
    }

    public long getLong(String name) {
        return (Long) value(name);
    }

    public double getDouble(String name) {
        return (Double) value(name);
    }

    public boolean getBoolean(String name) {
        return (Boolean) value(name);
    }

    /** A secret's clear value, or null when unset; never log it. */
    /**
     * A secret's value, or null when it is unset or empty: a Kubernetes Secret or compose file often
     * carries the key with an empty value, which must not become an empty bearer token.
     */
    public String getSecret(String name) {
        Password password = (Password) value(name);
        return password == null || password.value().isEmpty() ? null : password.value();
    }

    /** The Kafka client and Streams properties given as {@code <PREFIX>KAFKA_*} variables. */
    public Map<String, String> kafkaProperties() {
        return kafka;
    }

    /** All settings for the start-up log line, secrets masked. */
    public String describe() {
        Map<String, String> shown = new TreeMap<>();
        values.forEach((name, value) -> shown.put(name, mask(name, value)));
        kafka.forEach((name, value) -> shown.put(prefix + "KAFKA_" + name.toUpperCase(Locale.ROOT).replace('.', '_'),
                mask(name, value)));
        return shown.toString();
    }

    private Object value(String name) {
        if (!definition.names().contains(name)) {
            throw new IllegalArgumentException("undefined setting " + name);
        }
        return values.get(name);
    }

    private String mask(String name, Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Password || SENSITIVE.matcher(name).matches()) {
            return "[hidden]";
        }
        return String.valueOf(value);
    }
}
