package dev.lineagehub.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.Map;

class EnvConfigTest {

    private final ConfigDef definition = RuntimeSettings.define("TEST_", "test", 8080)
            .define("TEST_URL", ConfigDef.Type.STRING, "http://localhost:5000", Validators.uri("http", "https"),
                    ConfigDef.Importance.HIGH, "Where to deliver")
            .define("TEST_TOKEN", ConfigDef.Type.PASSWORD, null, ConfigDef.Importance.HIGH, "Bearer token");

    @Test
    void everySettingHasAWorkingDefault() {
        EnvConfig config = EnvConfig.parse("TEST_", definition, Map.of());

        assertThat(config.getString("TEST_KAFKA_BOOTSTRAP_SERVERS")).isEqualTo("localhost:9092");
        assertThat(config.getString("TEST_KAFKA_APPLICATION_ID")).isEqualTo("lineage-hub-test");
        assertThat(config.getString("TEST_DLQ_TOPIC")).isEqualTo("{topic}-test-dlq");
        assertThat(config.getInt("TEST_ADMIN_PORT")).isEqualTo(8080);
        assertThat(config.getSecret("TEST_TOKEN")).isNull();
    }

    @Test
    void anEmptySecretIsNoSecret() {
        // A Kubernetes Secret or compose file that lists the key with no value must not yield "Bearer ".
        assertThat(EnvConfig.parse("TEST_", definition, Map.of("TEST_TOKEN", "")).getSecret("TEST_TOKEN")).isNull();
    }

    @Test
    void anInvalidValueNamesTheVariable() {
        assertThatThrownBy(() -> EnvConfig.parse("TEST_", definition, Map.of("TEST_ADMIN_PORT", "eighty")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("TEST_ADMIN_PORT");
        assertThatThrownBy(() -> EnvConfig.parse("TEST_", definition, Map.of("TEST_ADMIN_PORT", "70000")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("TEST_ADMIN_PORT");
        assertThatThrownBy(() -> EnvConfig.parse("TEST_", definition, Map.of("TEST_URL", "ftp://x")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("TEST_URL");
    }

    @Test
    void kafkaVariablesBecomeClientProperties() {
        EnvConfig config = EnvConfig.parse("TEST_", definition, Map.of(
                "TEST_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "TEST_KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.plain.PlainLoginModule required password=\"s3cret\";",
                "TEST_KAFKA_CONSUMER_MAX_POLL_RECORDS", "100",
                "OTHER_KAFKA_IGNORED", "x"));

        assertThat(config.kafkaProperties()).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("consumer.max.poll.records", "100")
                .containsKey("sasl.jaas.config")
                .doesNotContainKey("ignored");
    }

    @Test
    void secretsNeverAppearInTheDescription() {
        EnvConfig config = EnvConfig.parse("TEST_", definition, Map.of(
                "TEST_TOKEN", "tok-123",
                "TEST_KAFKA_SASL_JAAS_CONFIG", "password=\"s3cret\"",
                "TEST_KAFKA_SSL_KEYSTORE_PASSWORD", "ks-pass"));

        assertThat(config.getSecret("TEST_TOKEN")).isEqualTo("tok-123");
        assertThat(config.describe()).doesNotContain("tok-123", "s3cret", "ks-pass").contains("TEST_TOKEN=[hidden]");
    }
}
