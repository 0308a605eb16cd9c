package dev.lineagehub.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

class LegacyNamesTest {

    private final List<String> warnings = new ArrayList<>();

    @Test
    void anOldNameSetsItsNewOneWithOneWarningNamingBoth() {
        Map<String, String> env = LegacyNames.applied("LINEAGEHUB_OTEL_", Map.of("CLICKHOUSE_URL", "jdbc:clickhouse:http://ch:8123/otel",
                "CLICKHOUSE_KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "PATH", "/bin"), warnings::add);
        assertThat(env).containsEntry("LINEAGEHUB_OTEL_URL", "jdbc:clickhouse:http://ch:8123/otel")
                .containsEntry("LINEAGEHUB_OTEL_KAFKA_SECURITY_PROTOCOL", "SASL_SSL").containsEntry("PATH", "/bin");
        assertThat(warnings).singleElement().asString()
                .contains("CLICKHOUSE_URL -> LINEAGEHUB_OTEL_URL", "CLICKHOUSE_KAFKA_SECURITY_PROTOCOL -> LINEAGEHUB_OTEL_KAFKA_SECURITY_PROTOCOL");
    }

    @Test
    void theNewNameWinsAndTheOldOneIsSaidToBeIgnored() {
        Map<String, String> env = LegacyNames.applied("LINEAGEHUB_LINEAGE_", Map.of("MARQUEZ_URL", "http://old:5000",
                "LINEAGEHUB_LINEAGE_URL", "http://new:5000"), warnings::add);
        assertThat(env).containsEntry("LINEAGEHUB_LINEAGE_URL", "http://new:5000");
        assertThat(warnings).singleElement().asString().contains("ignored as their new names are set: MARQUEZ_URL");
    }

    @Test
    void newNamesOnlyOrAnotherComponentsPrefixChangeNothingAndSayNothing() {
        Map<String, String> env = Map.of("LINEAGEHUB_DATAHUB_GMS_URL", "http://gms:8080", "MARQUEZ_URL", "http://marquez:5000");
        assertThat(LegacyNames.applied("LINEAGEHUB_DATAHUB_", env, warnings::add)).isEqualTo(env);
        assertThat(LegacyNames.applied("LINEAGE_SDK_", env, warnings::add)).isSameAs(env);
        assertThat(warnings).isEmpty();
    }
}
