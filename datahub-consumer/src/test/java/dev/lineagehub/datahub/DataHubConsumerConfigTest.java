package dev.lineagehub.datahub;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lineagehub.runtime.ConsumerRuntime;
import dev.lineagehub.testing.ConfigDocs;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.Map;

class DataHubConsumerConfigTest {

    @Test
    void theReadmeDocumentsEverySettingWithItsDefault() throws Exception {
        ConfigDocs.assertReadmeDocuments(new DataHubConsumer());
    }

    @Test
    void aBadSettingFailsStartUpNamingTheVariable() {
        assertThatThrownBy(() -> ConsumerRuntime.start(new DataHubConsumer(), Map.of("LINEAGEHUB_DATAHUB_ENV", "PRODUCTION")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("LINEAGEHUB_DATAHUB_ENV");
        assertThatThrownBy(() -> ConsumerRuntime.start(new DataHubConsumer(), Map.of("LINEAGEHUB_DATAHUB_GMS_URL", "gms:8080")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("LINEAGEHUB_DATAHUB_GMS_URL");
    }
}
