package dev.lineagehub.ingest.lineage;

import dev.lineagehub.protocol.TransportKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lineagehub.openlineage.InvalidEventException;
import dev.lineagehub.openlineage.OpenLineageEvent;
import dev.lineagehub.testing.SampleEvents;

import io.openlineage.client.OpenLineage.RunEvent.EventType;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

class LineageRequestTest {

    private static final UUID RUN = UUID.fromString("5f2b0c3e-1c3a-4bb8-9a55-0d1d3c1c9b11");
    private static final UUID DAG_RUN = UUID.fromString("0b7e2c39-6a51-4c8c-9d86-1c4c1b0e2f33");

    @Test
    void eachKindIsKeyedAsTheOpenLineageKafkaTransportKeysItAndNamesEveryNamespace() {
        OpenLineageEvent task = LineageRequest.parse(SampleEvents.json(SampleEvents.airflowTask(EventType.START, RUN, DAG_RUN, "orders_daily", "load"))).get(0);
        assertThat(task.transportKey()).isEqualTo(new String(TransportKey.bytesOf(SampleEvents.airflowTask(EventType.START, RUN, DAG_RUN,
                "orders_daily", "load")), StandardCharsets.UTF_8));
        assertThat(task.namespaces()).containsExactly("airflow-prod", "postgres://orders-db.internal:5432", "s3://analytics-lake");
        assertThat(task.runId()).contains(RUN.toString());
        assertThat(task.eventType()).contains("START");

        OpenLineageEvent spark = LineageRequest.parse(SampleEvents.json(SampleEvents.sparkJob(EventType.COMPLETE, RUN, "clicks"))).get(0);
        assertThat(spark.transportKey()).isEqualTo("run:spark-cluster-a/clicks.execute_insert_into_hadoop_fs_relation_command");
        assertThat(spark.namespaces()).containsExactly("spark-cluster-a", "s3a://raw-events", "hdfs://namenode:8020");

        OpenLineageEvent job = LineageRequest.parse(SampleEvents.json(SampleEvents.jobEvent())).get(0);
        assertThat(job.transportKey()).startsWith("job:");
        assertThat(job.kind()).isEqualTo(dev.lineagehub.openlineage.EventKind.JOB);
        OpenLineageEvent dataset = LineageRequest.parse(SampleEvents.json(SampleEvents.datasetEvent())).get(0);
        assertThat(dataset.transportKey()).startsWith("dataset:");
        assertThat(dataset.namespaces()).hasSize(1);
    }

    @Test
    void aBatchIsAnArrayOfEventsAndOneBadEventRefusesItNamingIt() {
        String first = new String(SampleEvents.json(SampleEvents.airflowTask(EventType.START, RUN, DAG_RUN, "orders_daily", "load")),
                StandardCharsets.UTF_8);
        String second = new String(SampleEvents.json(SampleEvents.dbtModel(EventType.COMPLETE, UUID.randomUUID(), DAG_RUN, "customers")),
                StandardCharsets.UTF_8);
        List<OpenLineageEvent> batch = LineageRequest.parse((" \n[" + first + "," + second + "]").getBytes(StandardCharsets.UTF_8));
        assertThat(batch).hasSize(2);
        assertThat(batch.get(1).toString()).contains("COMPLETE");

        String broken = second.replace("\"producer\"", "\"producr\"");
        assertThatThrownBy(() -> LineageRequest.parse(("[" + first + "," + broken + "]").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("event [1]").hasMessageContaining("producer");
        assertThatThrownBy(() -> LineageRequest.parse("[]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("no event");
        assertThatThrownBy(() -> LineageRequest.parse("[{".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidEventException.class)
                .satisfies(e -> assertThat(((InvalidEventException) e).reason()).isEqualTo(InvalidEventException.Reason.NOT_JSON));
        assertThatThrownBy(() -> LineageRequest.parse(new byte[0])).isInstanceOf(InvalidEventException.class);
    }

    @Test
    void aBatchKeepsNumbersAndStringsAsSent() {
        String event = new String(SampleEvents.json(SampleEvents.run(EventType.START, RUN, "team-a", "job", List.of(), List.of())),
                StandardCharsets.UTF_8).replace("\"run\":{", "\"run\":{\"facets\":{\"custom\":{\"_producer\":\"p\",\"_schemaURL\":\"s\","
                + "\"big\":12345678901234567890.123456789,\"text\":\"é ✓\"}},");
        OpenLineageEvent parsed = LineageRequest.parse(("[" + event + "]").getBytes(StandardCharsets.UTF_8)).get(0);
        assertThat(new String(parsed.bytes(), StandardCharsets.UTF_8)).contains("12345678901234567890.123456789", "é ✓");
    }
}
