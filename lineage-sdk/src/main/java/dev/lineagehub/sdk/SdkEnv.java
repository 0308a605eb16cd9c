package dev.lineagehub.sdk;

import dev.lineagehub.sdk.client.RetryPolicy;
import dev.lineagehub.sdk.client.DataHubTransport;
import dev.lineagehub.sdk.client.HttpTransport;
import dev.lineagehub.sdk.client.KafkaTransport;
import dev.lineagehub.sdk.client.Transport;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/** {@code LINEAGE_SDK_*} variables to a hub, each checked with a message that names it. */
final class SdkEnv {

    static final String PREFIX = "LINEAGE_SDK_";

    private final Map<String, String> env;

    private SdkEnv(Map<String, String> env) {
        this.env = env;
    }

    static LineageHub.Builder builder(Map<String, String> env) {
        SdkEnv config = new SdkEnv(env);
        Duration timeout = Duration.ofMillis(config.nonNegative("TIMEOUT_MS", Transport.DEFAULT_TIMEOUT.toMillis()));
        return LineageHub.builder(config.required("NAMESPACE"), config.transport(timeout))
                .queueCapacity((int) config.nonNegative("QUEUE_CAPACITY", 10_000))
                .retry(new RetryPolicy(Integer.MAX_VALUE, Duration.ofMillis(200), Duration.ofSeconds(10),
                        Duration.ofMillis(config.nonNegative("RETRY_FOR_MS", 60_000))))
                .heartbeat(Duration.ofSeconds(config.nonNegative("HEARTBEAT_S", 0)));
    }

    private Transport transport(Duration timeout) {
        String kind = required("TRANSPORT").toLowerCase(Locale.ROOT);
        return switch (kind) {
            case "kafka" -> new KafkaTransport(KafkaTransport.Config.of(required("KAFKA_BOOTSTRAP_SERVERS"))
                    .withTopic(optional("KAFKA_TOPIC", KafkaTransport.Config.DEFAULT_TOPIC)).withTimeout(timeout));
            case "http" -> new HttpTransport(HttpTransport.Config.of(url()).withApiKey(optional("API_KEY", null)).withTimeout(timeout));
            case "datahub" -> new DataHubTransport(DataHubTransport.Config.of(url()).withToken(optional("API_KEY", null)).withTimeout(timeout));
            default -> throw new IllegalArgumentException(PREFIX + "TRANSPORT must be kafka, http or datahub, got " + kind);
        };
    }

    private URI url() {
        String value = required("URL");
        try {
            URI url = URI.create(value);
            if (url.getScheme() == null || !url.getScheme().startsWith("http") || url.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return url;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(PREFIX + "URL must be http(s)://host:port, got " + value, e);
        }
    }

    private String required(String name) {
        String value = env.get(PREFIX + name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(PREFIX + name + " is required");
        }
        return value.trim();
    }

    private String optional(String name, String fallback) {
        String value = env.get(PREFIX + name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private long nonNegative(String name, long fallback) {
        String value = optional(name, null);
        if (value == null) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(value);
            if (parsed < 0) {
                throw new NumberFormatException("negative");
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PREFIX + name + " must be a whole number >= 0, got " + value, e);
        }
    }
}
