package dev.lineagehub.lineage;

import dev.lineagehub.testing.SampleEvents;
import dev.lineagehub.testing.TestKafka;

import io.openlineage.client.OpenLineage;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Runs of START, RUNNING and COMPLETE, published interleaved and counted by id (run/eventType) on arrival. */
final class RunCorpus {

    static final List<String> LIFECYCLE = List.of("START", "RUNNING", "COMPLETE");

    private RunCorpus() {
    }

    /** Publishes each run's events, interleaved across runs, keyed as the OpenLineage Kafka transport keys them. */
    static List<UUID> publish(TestKafka kafka, String topic, int count) {
        List<UUID> runs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            runs.add(UUID.randomUUID());
        }
        for (OpenLineage.RunEvent event : SampleEvents.interleaved(runs)) {
            kafka.send(topic, SampleEvents.kafkaKey(event), SampleEvents.json(event));
        }
        kafka.flush();
        return runs;
    }

    /** The ids every run should reach Marquez with. */
    static Set<String> expected(List<UUID> runs) {
        Set<String> expected = new HashSet<>();
        runs.forEach(run -> LIFECYCLE.forEach(type -> expected.add(run + "/" + type)));
        return expected;
    }

    /** The distinct ids Marquez received (duplicates counted once). */
    static Set<String> distinct(List<MarquezDouble.Received> received) {
        Set<String> ids = new HashSet<>();
        received.forEach(r -> ids.add(r.runId() + "/" + r.eventType()));
        return ids;
    }
}
