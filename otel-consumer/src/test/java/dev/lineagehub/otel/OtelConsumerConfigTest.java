package dev.lineagehub.otel;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lineagehub.runtime.ConsumerRuntime;
import dev.lineagehub.testing.ConfigDocs;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.Map;

class OtelConsumerConfigTest {

    @Test
    void theReadmeDocumentsEverySettingWithItsDefault() throws Exception {
        ConfigDocs.assertReadmeDocuments(new OtelConsumer());
    }

    @Test
    void aBadSettingFailsStartUpNamingTheVariable() {
        assertThatThrownBy(() -> ConsumerRuntime.start(new OtelConsumer(), Map.of("CLICKHOUSE_URL", "http://ch:8123")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("CLICKHOUSE_URL");
        assertThatThrownBy(() -> ConsumerRuntime.start(new OtelConsumer(), Map.of("CLICKHOUSE_SPANS_ENCODING", "avro")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("CLICKHOUSE_SPANS_ENCODING");
    }
}
