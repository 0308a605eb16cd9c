package dev.lineagehub.testing;

import dev.lineagehub.delivery.CommitBarrier;
import dev.lineagehub.delivery.DeadLetterHandler;
import dev.lineagehub.delivery.DeadLetterPublisher;
import dev.lineagehub.delivery.DeliveryWindow;
import dev.lineagehub.delivery.RetryPolicy;
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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A {@link RuntimeContext} for {@code TopologyTestDriver} tests: real metrics, barrier and retry
 * timer, dead letters captured by a {@link MockProducer}.
 */
public final class TestRuntimeContext implements RuntimeContext, AutoCloseable {

    public static final String DLQ_TEMPLATE = "{topic}-test-dlq";

    private final ThreadLocal<DeliveryWindow> deliveryWindows = ThreadLocal.withInitial(DeliveryWindow::new);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ConsumerMetrics metrics = new ConsumerMetrics(registry, "test");
    private final CommitBarrier barrier = new CommitBarrier();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final MockProducer<byte[], byte[]> deadLetterProducer =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final DeadLetterPublisher deadLetters = new DeadLetterPublisher(deadLetterProducer, DLQ_TEMPLATE, "test", metrics);
    private final List<AutoCloseable> resources = new ArrayList<>();

    /** Streams properties wiring our dead-letter handler the way the runtime does. */
    public Properties streamsProperties() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        props.put(DeadLetterHandler.TOPIC_TEMPLATE_CONFIG, DLQ_TEMPLATE);
        props.put(DeadLetterHandler.CONSUMER_CONFIG, "test");
        props.put(DeadLetterHandler.METRICS_CONFIG, metrics);
        return props;
    }

    public SimpleMeterRegistry registry() {
        return registry;
    }

    /** Dead letters written after {@code process()} returned (failed asynchronous deliveries). */
    public MockProducer<byte[], byte[]> deadLetterProducer() {
        return deadLetterProducer;
    }

    @Override
    public ConsumerMetrics metrics() {
        return metrics;
    }

    @Override
    public CommitBarrier commitBarrier() {
        return barrier;
    }

    @Override
    public DeadLetterPublisher deadLetters() {
        return deadLetters;
    }

    @Override
    public DeliveryWindow deliveryWindow() {
        return deliveryWindows.get();
    }

    @Override
    public RetryPolicy retryPolicy() {
        return new RetryPolicy(Duration.ofMillis(1), Duration.ofMillis(10), 0);
    }

    @Override
    public ScheduledExecutorService retryTimer() {
        return timer;
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
    }
}
