package dev.lineagehub.lineage;

import dev.lineagehub.protocol.TransportKey;
import dev.lineagehub.testing.SampleEvents;
import dev.lineagehub.testing.TestKafka;

import io.openlineage.client.OpenLineage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
            kafka.send(topic, TransportKey.bytesOf(event), SampleEvents.json(event));
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

    /** Events that reached Marquez after a later event of the same run, replays included: Marquez kept a wrong state meanwhile. */
    static long orderViolations(List<MarquezDouble.Received> received) {
        Map<String, Integer> latest = new HashMap<>();
        long violations = 0;
        for (MarquezDouble.Received event : received) {
            int position = LIFECYCLE.indexOf(event.eventType());
            Integer seen = latest.get(event.runId());
            if (seen != null && position < seen) {
                violations++;
            }
            latest.merge(event.runId(), position, Math::max);
        }
        return violations;
    }

    /**
     * The order violations that survive at-least-once delivery: an event whose first arrival came after
     * the first arrival of a later event of its run. After a crash, an uncommitted run is replayed from
     * its earliest uncommitted event, so its replays arrive after its later events; that is allowed.
     */
    static long firstArrivalOrderViolations(List<MarquezDouble.Received> received) {
        List<MarquezDouble.Received> firsts = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        received.stream().filter(r -> seen.add(r.runId() + "/" + r.eventType())).forEach(firsts::add);
        return orderViolations(firsts);
    }

    /** Runs whose last event to reach Marquez is not their last one: Marquez shows them in the wrong state. */
    static long finalStateViolations(List<MarquezDouble.Received> received) {
        Map<String, String> last = new HashMap<>();
        received.forEach(r -> last.put(r.runId(), r.eventType()));
        return last.values().stream().filter(type -> !type.equals(LIFECYCLE.get(LIFECYCLE.size() - 1))).count();
    }
}
