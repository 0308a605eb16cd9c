package dev.lineagehub.openlineage;

import dev.lineagehub.protocol.TransportKey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lineagehub.testing.SampleEvents;

import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineage.RunEvent.EventType;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

class OrderByTest {

    private static OpenLineageEvent parse(Object event) {
        return OpenLineageEvent.parse(SampleEvents.json(event));
    }

    @Test
    void byKeyAParentAndItsChildrenAreOneUnit() {
        List<OpenLineage.RunEvent> family = SampleEvents.families(1, 2);
        Set<String> units = family.stream().map(e -> OrderBy.KEY.unitOf(TransportKey.bytesOf(e), parse(e))).collect(Collectors.toSet());
        assertThat(units).containsExactly("key:run:airflow-prod/dag_0");
        Set<String> byRun = family.stream().map(e -> OrderBy.RUN.unitOf(TransportKey.bytesOf(e), parse(e))).collect(Collectors.toSet());
        assertThat(byRun).as("the parent and each child on their own").hasSize(3);
    }

    @Test
    void withoutAKeyTheRunIsTheUnitAndByPartitionEverythingIsOne() {
        UUID run = UUID.randomUUID();
        OpenLineageEvent event = parse(SampleEvents.sparkJob(EventType.START, run, "app"));
        assertThat(OrderBy.KEY.unitOf(null, event)).isEqualTo(run.toString());
        assertThat(OrderBy.PARTITION.unitOf("k".getBytes(), event)).isEqualTo(OrderBy.PARTITION.unitOf(null, parse(SampleEvents.datasetEvent())));
        assertThat(OrderBy.parse(" Partition ")).isEqualTo(OrderBy.PARTITION);
    }
}
