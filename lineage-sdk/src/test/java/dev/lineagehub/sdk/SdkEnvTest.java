package dev.lineagehub.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

class SdkEnvTest {

    private static Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>(Map.of("LINEAGE_SDK_NAMESPACE", "workers", "LINEAGE_SDK_TRANSPORT", "http",
                "LINEAGE_SDK_URL", "http://ingest-api:8080"));
        for (int i = 0; i < pairs.length; i += 2) {
            env.put("LINEAGE_SDK_" + pairs[i], pairs[i + 1]);
        }
        return env;
    }

    @Test
    void everyWrongSettingFailsAtStartNamingItsVariable() {
        assertThatThrownBy(() -> LineageHub.fromEnv(env("NAMESPACE", " "))).hasMessageContaining("LINEAGE_SDK_NAMESPACE is required");
        assertThatThrownBy(() -> LineageHub.fromEnv(env("TRANSPORT", "grpc"))).hasMessageContaining("LINEAGE_SDK_TRANSPORT must be kafka, http or datahub");
        assertThatThrownBy(() -> LineageHub.fromEnv(env("URL", "ingest-api:8080"))).hasMessageContaining("LINEAGE_SDK_URL must be http(s)://host:port");
        assertThatThrownBy(() -> LineageHub.fromEnv(env("TIMEOUT_MS", "-1"))).hasMessageContaining("LINEAGE_SDK_TIMEOUT_MS");
        assertThatThrownBy(() -> LineageHub.fromEnv(env("QUEUE_CAPACITY", "lots"))).hasMessageContaining("LINEAGE_SDK_QUEUE_CAPACITY");
        assertThatThrownBy(() -> LineageHub.fromEnv(env("TRANSPORT", "kafka"))).hasMessageContaining("LINEAGE_SDK_KAFKA_BOOTSTRAP_SERVERS is required");
    }

    @Test
    void eachTransportBuildsFromItsVariables() {
        for (Map<String, String> settings : java.util.List.of(env(), env("TRANSPORT", "DataHub", "API_KEY", "token"),
                env("TRANSPORT", "kafka", "KAFKA_BOOTSTRAP_SERVERS", "localhost:1", "TIMEOUT_MS", "1000"))) {
            try (LineageHub hub = LineageHub.fromEnv(settings)) {
                assertThat(hub.emitter("job").producer()).isEqualTo(LineageHub.PRODUCER);
            }
        }
    }
}
