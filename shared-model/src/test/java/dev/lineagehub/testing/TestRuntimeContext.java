package dev.lineagehub.testing;

import dev.lineagehub.delivery.deadletter.DeadLetterPublisher;
import dev.lineagehub.delivery.flow.DeliveryBudget;
import dev.lineagehub.delivery.offsets.ResolvedOffsets;
import dev.lineagehub.delivery.RetryPolicy;
import dev.lineagehub.delivery.flow.SinkHealth;
import dev.lineagehub.runtime.ConsumerMetrics;
import dev.lineagehub.runtime.RuntimeContext;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A {@link RuntimeContext} for {@code TopologyTestDriver} and unit tests: real metrics, budget, offsets,
 * executors and retry timer, dead letters captured by a {@link MockProducer}.
 */
public final class TestRuntimeContext implements RuntimeContext, AutoCloseable {

    public static final String DLQ_TEMPLATE = "{topic}-test-dlq";

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ConsumerMetrics metrics = new ConsumerMetrics(registry, "test");
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final DeliveryBudget budget = new DeliveryBudget(100, TimeUnit.MILLISECONDS);
    private final ResolvedOffsets offsets = new ResolvedOffsets(Duration.ofSeconds(1));
    private final RetryPolicy retryPolicy;
    private final MockProducer<byte[], byte[]> deadLetterProducer =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final DeadLetterPublisher deadLetters;
    private final List<SinkHealth> sinks = new ArrayList<>();
    private final List<AutoCloseable> resources = new ArrayList<>();

    public TestRuntimeContext() {
        this(new RetryPolicy(Duration.ofMillis(1), Duration.ofMillis(10), 5));
    }

    public TestRuntimeContext(RetryPolicy retryPolicy) {
        this.retryPolicy = retryPolicy;
        this.deadLetters = new DeadLetterPublisher(deadLetterProducer, DLQ_TEMPLATE, "test", metrics, timer, retryPolicy, 1_048_576);
    }

    /** Streams properties for a test driver. */
    public Properties streamsProperties() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        return props;
    }

    public SimpleMeterRegistry registry() {
        return registry;
    }

    /** Every dead letter written. */
    public MockProducer<byte[], byte[]> deadLetterProducer() {
        return deadLetterProducer;
    }

    public List<SinkHealth> sinks() {
        return sinks;
    }

    /** Topics made up by a unit test have the id their name gives. */
    @Override
    public String topicId(String topic) {
        return java.util.UUID.nameUUIDFromBytes(topic.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
    }

    @Override
    public ConsumerMetrics metrics() {
        return metrics;
    }

    @Override
    public DeliveryBudget budget() {
        return budget;
    }

    @Override
    public DeadLetterPublisher deadLetters() {
        return deadLetters;
    }

    @Override
    public ResolvedOffsets offsets() {
        return offsets;
    }

    @Override
    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    @Override
    public ExecutorService deliveryExecutor() {
        return executor;
    }

    @Override
    public ScheduledExecutorService timer() {
        return timer;
    }

    @Override
    public Duration taskCloseTimeout() {
        return Duration.ofSeconds(2);
    }

    @Override
    public void watch(SinkHealth health) {
        sinks.add(health);
        health.onChange(budget::sinkStateChanged);
    }

    @Override
    public void closeOnShutdown(AutoCloseable resource) {
        resources.add(resource);
    }

    @Override
    public void close() {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        timer.shutdownNow();
        executor.shutdownNow();
    }
}
