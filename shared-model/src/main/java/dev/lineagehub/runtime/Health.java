package dev.lineagehub.runtime;

import dev.lineagehub.delivery.offsets.OffsetTracker;
import dev.lineagehub.delivery.offsets.ResolvedOffsets;
import dev.lineagehub.delivery.flow.SinkHealth;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What the admin port reports, from facts: Kafka Streams' state, whether the broker answers (asked
 * every few seconds), each sink's state, partitions whose oldest unresolved record is stuck while
 * the sink is up, and stream threads dying again and again.
 *
 * <p>Live fails only on ERROR or NOT_RUNNING: a restart cannot fix a sink or a broker. Ready fails
 * whenever this instance is not doing its work: not RUNNING, broker unreachable, a sink down (its last
 * failure named), a partition stalled while the sink is up (a hung sink, before its calls time out),
 * or crash-looping threads. So a sink that hangs and then times out fails ready from the stall on,
 * without a 200 between.
 */
final class Health implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Health.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration BROKER_CHECK_INTERVAL = Duration.ofSeconds(5);
    private static final Duration BROKER_SUMMARY_INTERVAL = Duration.ofMinutes(1);
    private static final long NEVER = Long.MIN_VALUE;

    /** One answer of a probe: up or not, and the JSON body saying why. */
    record Report(boolean up, String json) {
    }

    private final ResolvedOffsets offsets;
    private final ThreadReplacementPolicy threads;
    private final long stallTimeoutNanos;
    private final List<SinkHealth> sinks = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService checker;
    private final Admin admin;
    private final MultiGauge stalledGauge;
    private volatile KafkaStreams streams;
    private volatile boolean brokerReachable;
    /** Only the checker thread reads and writes these two. */
    private long unreachableSinceNanos = NEVER;
    private long lastSummaryNanos;

    /** @param admin the runtime's Kafka admin client, closed by the runtime */
    Health(Admin admin, ResolvedOffsets offsets, ThreadReplacementPolicy threads, Duration stallTimeout,
           MeterRegistry registry, String metricPrefix, String consumer) {
        this.offsets = offsets;
        this.threads = threads;
        this.stallTimeoutNanos = stallTimeout.toNanos();
        this.stalledGauge = MultiGauge.builder(metricPrefix + "partition_stalled")
                .description("1 while the partition's oldest unresolved record has not resolved for STALL_TIMEOUT_MS with the sink up")
                .register(registry);
        this.admin = admin;
        this.checker = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named(consumer + "-health"));
        checker.scheduleWithFixedDelay(this::check, 0, BROKER_CHECK_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    void streams(KafkaStreams streams) {
        this.streams = streams;
    }

    void watch(SinkHealth sink) {
        sinks.add(sink);
    }

    Report live() {
        KafkaStreams.State state = state();
        boolean up = state != KafkaStreams.State.ERROR && state != KafkaStreams.State.NOT_RUNNING;
        return new Report(up, json(up, state, List.of()));
    }

    Report ready() {
        KafkaStreams.State state = state();
        List<TopicPartition> stalled = stalled();
        boolean up = state == KafkaStreams.State.RUNNING && brokerReachable && stalled.isEmpty() && !threads.crashLooping()
                && sinks.stream().allMatch(sink -> sink.state() == SinkHealth.State.UP);
        return new Report(up, json(up, state, stalled));
    }

    private KafkaStreams.State state() {
        KafkaStreams current = streams;
        return current == null ? KafkaStreams.State.CREATED : current.state();
    }

    List<TopicPartition> stalled() {
        if (sinks.stream().anyMatch(sink -> sink.state() == SinkHealth.State.DOWN)) {
            return List.of();
        }
        long now = System.nanoTime();
        List<TopicPartition> stalled = new ArrayList<>();
        offsets.trackers().forEach((partition, tracker) -> {
            if (tracker.isOpen() && tracker.stalled(now, stallTimeoutNanos)) {
                stalled.add(partition);
            }
        });
        return stalled;
    }

    private void check() {
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) BROKER_CHECK_INTERVAL.toMillis()))
                    .nodes().get(BROKER_CHECK_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
            brokerReachable = true;
            if (unreachableSinceNanos != NEVER) {
                LOG.info("Kafka broker reachable again after {} s", seconds(System.nanoTime() - unreachableSinceNanos));
                unreachableSinceNanos = NEVER;
            }
        } catch (Exception e) {
            brokerReachable = false;
            long now = System.nanoTime();
            if (unreachableSinceNanos == NEVER) {
                unreachableSinceNanos = now;
                lastSummaryNanos = now;
                LOG.warn("Kafka broker unreachable ({}); readiness fails until it answers, the Kafka clients' own warnings"
                        + " are shown once a minute", e.toString());
            } else if (now - lastSummaryNanos >= BROKER_SUMMARY_INTERVAL.toNanos()) {
                lastSummaryNanos = now;
                LOG.warn("Kafka broker still unreachable after {} s", seconds(now - unreachableSinceNanos));
            }
        }
        List<TopicPartition> stalled = stalled();
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (Map.Entry<TopicPartition, OffsetTracker> entry : offsets.trackers().entrySet()) {
            if (entry.getValue().isOpen()) {
                TopicPartition partition = entry.getKey();
                rows.add(MultiGauge.Row.of(Tags.of("topic", partition.topic(), "partition", Integer.toString(partition.partition())),
                        stalled.contains(partition) ? 1 : 0));
            }
        }
        stalledGauge.register(rows, true);
    }

    private String json(boolean up, KafkaStreams.State state, List<TopicPartition> stalled) {
        ObjectNode body = JSON.createObjectNode();
        body.put("status", up ? "UP" : "DOWN").put("streams", state.toString())
                .put("broker", brokerReachable ? "reachable" : "unreachable");
        ObjectNode sinkStates = body.putObject("sinks");
        ObjectNode failures = JSON.createObjectNode();
        for (SinkHealth sink : sinks) {
            SinkHealth.State sinkState = sink.state();
            sinkStates.put(sink.name(), sinkState.toString());
            if (sinkState == SinkHealth.State.DOWN && sink.lastFailure() != null) {
                failures.put(sink.name(), sink.lastFailure());
            }
        }
        if (!failures.isEmpty()) {
            body.set("sinkFailures", failures);
        }
        ArrayNode stalledList = body.putArray("stalledPartitions");
        stalled.forEach(partition -> stalledList.add(partition.toString()));
        body.put("threadFailures", threads.recentFailures());
        return body.toString();
    }

    private static long seconds(long nanos) {
        return TimeUnit.NANOSECONDS.toSeconds(nanos);
    }

    @Override
    public void close() {
        checker.shutdownNow();
    }
}
