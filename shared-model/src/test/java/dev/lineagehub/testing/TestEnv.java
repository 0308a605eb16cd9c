package dev.lineagehub.testing;

import dev.lineagehub.runtime.ConsumerDefinition;
import dev.lineagehub.runtime.RuntimeSettings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

/** The environment an integration test starts a consumer with: the test broker, its own group and state, fast retries. */
public final class TestEnv {

    private TestEnv() {
    }

    /** A mutable map of the consumer's variables (with its prefix); the test adds its sink's settings. */
    public static Map<String, String> forConsumer(ConsumerDefinition consumer, TestKafka kafka, String applicationId) {
        String p = consumer.envPrefix();
        Map<String, String> env = new HashMap<>();
        env.put(p + RuntimeSettings.KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        env.put(p + RuntimeSettings.KAFKA_APPLICATION_ID, applicationId);
        try {
            env.put(p + "KAFKA_STATE_DIR", Files.createTempDirectory("streams").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        env.put(p + RuntimeSettings.ADMIN_PORT, "0");
        env.put(p + RuntimeSettings.RETRY_INITIAL_BACKOFF_MS, "50");
        env.put(p + RuntimeSettings.RETRY_MAX_BACKOFF_MS, "500");
        env.put(p + RuntimeSettings.SHUTDOWN_TIMEOUT_MS, "10000");
        return env;
    }
}
