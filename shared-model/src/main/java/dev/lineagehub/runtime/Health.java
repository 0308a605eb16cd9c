package dev.lineagehub.runtime;

import dev.lineagehub.delivery.OffsetTracker;
import dev.lineagehub.delivery.ResolvedOffsets;
import dev.lineagehub.delivery.SinkHealth;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

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
import java.util.stream.Collectors;

/**
 * What the admin port reports, from facts: Kafka Streams' state, whether the broker answers (asked
 * every few seconds), each sink's state, partitions whose oldest unresolved record is stuck while
 * the sink is up, and stream threads dying again and again.
 *
 * <p>Live fails only on ERROR or NOT_RUNNING: a restart cannot fix a sink or a broker. Ready fails
 * whenever this instance is not doing its work: not RUNNING, broker unreachable, a stalled partition,
 * or crash-looping threads.
 */
final class Health implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Health.class);
    private static final Duration BROKER_CHECK_INTERVAL = Duration.ofSeconds(5);

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
        boolean up = state == KafkaStreams.State.RUNNING && brokerReachable && stalled.isEmpty() && !threads.crashLooping();
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
        } catch (Exception e) {
            if (brokerReachable) {
                LOG.warn("Kafka broker unreachable: {}", e.toString());
            }
            brokerReachable = false;
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
        String sinkStates = sinks.stream().map(sink -> "\"" + sink.name() + "\":\"" + sink.state() + "\"")
                .collect(Collectors.joining(",", "{", "}"));
        String stalledList = stalled.stream().map(partition -> "\"" + partition + "\"").collect(Collectors.joining(",", "[", "]"));
        return "{\"status\":\"" + (up ? "UP" : "DOWN") + "\",\"streams\":\"" + state + "\",\"broker\":\""
                + (brokerReachable ? "reachable" : "unreachable") + "\",\"sinks\":" + sinkStates + ",\"stalledPartitions\":"
                + stalledList + ",\"threadFailures\":" + threads.recentFailures() + "}";
    }

    @Override
    public void close() {
        checker.shutdownNow();
    }
}
