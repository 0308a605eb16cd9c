package dev.lineagehub.sdk.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/** The transports' typed configs: the defaults the README documents, and refusals that name what is wrong. */
class TransportConfigTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        assertThat(KafkaTransport.Config.of("broker:9092"))
                .isEqualTo(new KafkaTransport.Config("broker:9092", "openlineage-events", Duration.ofSeconds(10), Map.of()));
        assertThat(HttpTransport.Config.of(URI.create("http://hub:8080")))
                .isEqualTo(new HttpTransport.Config(URI.create("http://hub:8080"), null, Duration.ofSeconds(10)));
        assertThat(DataHubTransport.Config.of(URI.create("http://gms:8080")))
                .isEqualTo(new DataHubTransport.Config(URI.create("http://gms:8080"), null, Duration.ofSeconds(10), "PROD", ""));
    }

    @Test
    void eachWithChangesOneSettingAndTheMappingFollowsTheNaming() {
        KafkaTransport.Config kafka = KafkaTransport.Config.of("b:9092").withTopic("t").withTimeout(Duration.ofSeconds(3))
                .withProducerSettings(Map.of("compression.type", "zstd"));
        assertThat(kafka).isEqualTo(new KafkaTransport.Config("b:9092", "t", Duration.ofSeconds(3), Map.of("compression.type", "zstd")));
        DataHubTransport.Config datahub = DataHubTransport.Config.of(URI.create("http://gms:8080")).withNaming("DEV", "eu1");
        assertThat(datahub.mapping().env().name()).isEqualTo("DEV");
        assertThat(datahub.mapping().platformInstance()).isEqualTo("eu1");
    }

    @Test
    void whatCannotWorkIsRefusedWhenTheConfigIsMade() {
        assertThatThrownBy(() -> KafkaTransport.Config.of(" ")).hasMessageContaining("bootstrap servers");
        assertThatThrownBy(() -> KafkaTransport.Config.of("b:9092").withTopic("")).hasMessageContaining("needs a topic");
        assertThatThrownBy(() -> DataHubTransport.Config.of(URI.create("http://gms:8080")).withNaming("prod-eu", ""))
                .hasMessageContaining("not a DataHub environment: prod-eu");
        assertThatThrownBy(() -> HttpTransport.Config.of(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("url");
    }
}
