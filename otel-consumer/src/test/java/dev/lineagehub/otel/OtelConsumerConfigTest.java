package dev.lineagehub.otel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lineagehub.otel.config.ClickHouseSettings;
import dev.lineagehub.runtime.ConsumerRuntime;
import dev.lineagehub.runtime.EnvConfig;
import dev.lineagehub.testing.ConfigDocs;

import org.apache.kafka.common.config.ConfigDef;
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
        assertThatThrownBy(() -> ConsumerRuntime.start(new OtelConsumer(), Map.of("LINEAGEHUB_OTEL_URL", "http://ch:8123")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("LINEAGEHUB_OTEL_URL");
        assertThatThrownBy(() -> ConsumerRuntime.start(new OtelConsumer(), Map.of("LINEAGEHUB_OTEL_SPANS_ENCODING", "avro")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("LINEAGEHUB_OTEL_SPANS_ENCODING");
    }

    /** The name before 0.2.0 is still read, as its new name, for one release (the error names the new one). */
    @Test
    void anOldNameIsReadAsItsNewOne() {
        assertThatThrownBy(() -> ConsumerRuntime.start(new OtelConsumer(), Map.of("CLICKHOUSE_URL", "http://ch:8123")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("LINEAGEHUB_OTEL_URL");
    }

    /** Just under the batch bound is refused at start, naming both; at it, the settings agree. */
    @Test
    void whatMayBeQueuedMustHoldAFullBatch() {
        assertThatThrownBy(() -> ConsumerRuntime.start(new OtelConsumer(), Map.of("LINEAGEHUB_OTEL_BATCH_BYTES", "1048576",
                "LINEAGEHUB_OTEL_QUEUE_BYTES", "1048575"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("LINEAGEHUB_OTEL_QUEUE_BYTES (1048575) is below LINEAGEHUB_OTEL_BATCH_BYTES (1048576)");
        ConfigDef definition = new ConfigDef();
        ClickHouseSettings.define(definition);
        assertThat(ClickHouseSettings.from(EnvConfig.parse(ClickHouseSettings.PREFIX, definition, Map.of("LINEAGEHUB_OTEL_BATCH_BYTES", "1048576",
                "LINEAGEHUB_OTEL_QUEUE_BYTES", "1048576"))).queueBytes()).isEqualTo(1_048_576);
    }
}
