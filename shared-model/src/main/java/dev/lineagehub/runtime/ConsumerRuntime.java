package dev.lineagehub.runtime;

import dev.lineagehub.delivery.CommitBarrier;
import dev.lineagehub.delivery.DeadLetterHandler;
import dev.lineagehub.delivery.DeadLetterPublisher;
import dev.lineagehub.delivery.DeliveryWindow;
import dev.lineagehub.delivery.DeadLetters;
import dev.lineagehub.delivery.RetryPolicy;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Runs one consumer: validates its settings, builds its topology, starts Kafka Streams with the
 * commit barrier and dead-letter handling, serves the admin port, and shuts everything down in order.
 */
public final class ConsumerRuntime implements RuntimeContext, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerRuntime.class);

    private final ThreadLocal<DeliveryWindow> deliveryWindows = ThreadLocal.withInitial(DeliveryWindow::new);
    private final ConsumerDefinition definition;
    private final EnvConfig config;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ConsumerMetrics metrics;
    private final CommitBarrier barrier = new CommitBarrier();
    private final ScheduledExecutorService retryTimer;
    private final DeadLetterPublisher deadLetters;
    private final RetryPolicy retryPolicy;
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final KafkaStreams streams;
    private final KafkaStreamsMetrics streamsMetrics;
    private final AdminServer admin;

    private ConsumerRuntime(ConsumerDefinition definition, EnvConfig config) {
        this.definition = definition;
        this.config = config;
        String prefix = config.prefix();
        this.metrics = new ConsumerMetrics(registry, definition.name());
        this.retryPolicy = RuntimeSettings.retryPolicy(config);
        this.retryTimer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, definition.name() + "-retry-timer");
            thread.setDaemon(true);
            return thread;
        });
        Map<String, Object> kafka = kafkaClientSettings();
        String dlqTemplate = config.getString(prefix + RuntimeSettings.DLQ_TOPIC);
        List<String> inputs = definition.inputTopics(config);
        TopicSetup.ensureDeadLetterTopics(kafka, inputs, dlqTemplate);
        this.deadLetters = new DeadLetterPublisher(
                DeadLetterPublisher.producer(ClientSettings.producer(kafka), applicationId() + "-dead-letters"),
                dlqTemplate, definition.name(), metrics);

        Topology topology = definition.topology(config, this);
        LOG.info("Starting {} consumer with {}\n{}", definition.name(), config.describe(), topology.describe());
        this.streams = new KafkaStreams(topology, streamsProperties(kafka, dlqTemplate, inputs), barrier.clientSupplier());
        this.streams.setUncaughtExceptionHandler(new ThreadReplacementPolicy(3, Duration.ofMinutes(10)));
        this.streams.setStateListener((now, before) -> {
            LOG.info("Kafka Streams {} -> {}", before, now);
            if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
                terminated.countDown();
            }
        });
        this.streamsMetrics = new KafkaStreamsMetrics(streams);
        bindMetrics();
        try {
            this.admin = new AdminServer(config.getInt(prefix + RuntimeSettings.ADMIN_PORT), registry, streams::state);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the admin port " + prefix + RuntimeSettings.ADMIN_PORT, e);
        }
        streams.start();
    }

    /** Parses the settings from {@code env} and starts the consumer; fails fast on a bad setting. */
    public static ConsumerRuntime start(ConsumerDefinition definition, Map<String, String> env) {
        return new ConsumerRuntime(definition, EnvConfig.parse(definition.envPrefix(), configDef(definition), env));
    }

    /** The complete settings of a consumer: the runtime's and its own. */
    public static ConfigDef configDef(ConsumerDefinition definition) {
        ConfigDef def = RuntimeSettings.define(definition.envPrefix(), definition.name(), definition.defaultAdminPort());
        definition.define(def);
        return def;
    }

    /**
     * The {@code main} of every consumer: runs until SIGTERM/SIGINT or until Kafka Streams stops on its
     * own, and exits non-zero when it stopped in error or the settings are invalid.
     */
    public static void main(ConsumerDefinition definition) {
        ConsumerRuntime runtime;
        try {
            runtime = start(definition, System.getenv());
        } catch (org.apache.kafka.common.config.ConfigException e) {
            LOG.error("Invalid configuration: {}", e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(runtime::close, definition.name() + "-shutdown"));
        runtime.awaitTermination();
        boolean failed = runtime.state() == KafkaStreams.State.ERROR;
        runtime.close();
        System.exit(failed ? 1 : 0);
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    public int adminPort() {
        return admin.port();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public void awaitTermination() {
        try {
            terminated.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
        return retryPolicy;
    }

    @Override
    public ScheduledExecutorService retryTimer() {
        return retryTimer;
    }

    @Override
    public synchronized void closeOnShutdown(AutoCloseable resource) {
        resources.push(resource);
    }

    /**
     * Leaves the group after finishing in-flight work, within the shutdown timeout; what is still
     * undelivered then stays uncommitted and is delivered again by the next owner.
     */
    @Override
    public synchronized void close() {
        if (streams.state() == KafkaStreams.State.NOT_RUNNING && resources.isEmpty()) {
            return;
        }
        Duration timeout = Duration.ofMillis(config.getLong(config.prefix() + RuntimeSettings.SHUTDOWN_TIMEOUT_MS));
        LOG.info("Shutting down {} consumer (timeout {})", definition.name(), timeout);
        barrier.closing(timeout.multipliedBy(8).dividedBy(10));
        boolean clean = streams.close(CloseOptions.timeout(timeout)
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        if (!clean) {
            LOG.warn("Kafka Streams did not close within {}; uncommitted records will be processed again", timeout);
        }
        while (!resources.isEmpty()) {
            closeQuietly(resources.pop());
        }
        closeQuietly(deadLetters);
        closeQuietly(streamsMetrics);
        retryTimer.shutdownNow();
        admin.close();
        registry.close();
        LOG.info("{} consumer stopped {}", definition.name(), clean ? "cleanly" : "after the shutdown timeout");
        terminated.countDown();
    }

    /** The Kafka Streams application id, which is also the consumer group id. */
    public String applicationId() {
        return config.getString(config.prefix() + RuntimeSettings.KAFKA_APPLICATION_ID);
    }

    private Map<String, Object> kafkaClientSettings() {
        Map<String, Object> kafka = new HashMap<>(config.kafkaProperties());
        kafka.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.getString(config.prefix() + RuntimeSettings.KAFKA_BOOTSTRAP_SERVERS));
        kafka.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId());
        return kafka;
    }

    private Properties streamsProperties(Map<String, Object> kafka, String dlqTemplate, List<String> inputs) {
        Properties props = new Properties();
        // Defaults first, so that any <PREFIX>KAFKA_* variable overrides them.
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        // Every commit waits until what is in flight has been delivered, which drains the pipeline for
        // a moment: at 1 s that cost 10-20 % of throughput (docs/benchmarks.md), at 10 s it is within
        // noise. A crash redelivers at most this much (duplicates, never losses).
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 10_000);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG), "all");
        props.putAll(definition.streamsDefaults());
        props.putAll(kafka);
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, DeadLetters.topicFor(dlqTemplate, inputs.get(0)));
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        props.put(DeadLetterHandler.TOPIC_TEMPLATE_CONFIG, dlqTemplate);
        props.put(DeadLetterHandler.CONSUMER_CONFIG, definition.name());
        props.put(DeadLetterHandler.METRICS_CONFIG, metrics);
        return props;
    }

    private void bindMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        streamsMetrics.bindTo(registry);
    }

    private static void closeQuietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            LOG.warn("Error closing {}", resource, e);
        }
    }
}
