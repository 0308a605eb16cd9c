package dev.lineagehub.lineage;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lineagehub.runtime.ConsumerRuntime;
import dev.lineagehub.testing.ConfigDocs;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.Map;

class LineageConsumerConfigTest {

    @Test
    void theReadmeDocumentsEverySettingWithItsDefault() throws Exception {
        ConfigDocs.assertReadmeDocuments(new LineageConsumer());
    }

    @Test
    void aBadSettingFailsStartUpNamingTheVariable() {
        assertThatThrownBy(() -> ConsumerRuntime.start(new LineageConsumer(), Map.of("LINEAGEHUB_LINEAGE_URL", "ftp://marquez")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("LINEAGEHUB_LINEAGE_URL");
        assertThatThrownBy(() -> ConsumerRuntime.start(new LineageConsumer(), Map.of("LINEAGEHUB_LINEAGE_MAX_IN_FLIGHT", "zero")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("LINEAGEHUB_LINEAGE_MAX_IN_FLIGHT");
    }
}
