package dev.lineagehub.ingest;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lineagehub.ingest.config.IngestSettings;
import dev.lineagehub.testing.ConfigDocs;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.Map;

class IngestApiConfigTest {

    @Test
    void theReadmeDocumentsEverySettingWithItsDefault() throws Exception {
        ConfigDocs.assertReadmeDocuments(IngestSettings.NAME, IngestSettings.PREFIX, IngestSettings.definition());
    }

    @Test
    void aBadSettingFailsStartUpNamingTheVariable() {
        assertThatThrownBy(() -> IngestApi.start(Map.of("LINEAGEHUB_INGEST_AUTH", "maybe")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("LINEAGEHUB_INGEST_AUTH");
        assertThatThrownBy(() -> IngestApi.start(Map.of("LINEAGEHUB_INGEST_MARQUEZ_URL", "ftp://marquez")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("LINEAGEHUB_INGEST_MARQUEZ_URL");
        assertThatThrownBy(() -> IngestApi.start(Map.of("LINEAGEHUB_INGEST_TLS_CERT_PATH", "/etc/tls/cert.pem")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("LINEAGEHUB_INGEST_TLS_KEY_PATH");
        assertThatThrownBy(() -> IngestApi.start(Map.of("LINEAGEHUB_INGEST_QUOTA_EVENTS_PER_SECOND", "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("LINEAGEHUB_INGEST_QUOTA_EVENTS_PER_SECOND");
    }
}
