package dev.lineagehub.runtime;

import dev.lineagehub.delivery.deadletter.DeadLetterPublisher;
import dev.lineagehub.delivery.deadletter.DeadLetters;
import dev.lineagehub.delivery.flow.DeliveryBudget;
import dev.lineagehub.delivery.offsets.ResolvedOffsets;
import dev.lineagehub.delivery.RetryPolicy;
import dev.lineagehub.delivery.flow.SinkHealth;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.UsePartitionTimeOnInvalidTimestamp;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs one consumer: validates its settings, opens the admin port, builds its topology, starts Kafka
 * Streams with commits clamped to resolved offsets ({@link ResolvedOffsets}) and processing paused
 * while the delivery budget is full or a sink is down ({@link DeliveryBudget}), and shuts everything
 * down in order.
 */
public final class ConsumerRuntime implements RuntimeContext, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerRuntime.class);
    /** How long a stream thread waits for a free delivery slot before it pauses processing instead. */
    private static final long ACCEPT_WAIT_MS = 500;
    /** How often offsets resolved after Streams' last commit are committed. */
    private static final Duration RESOLVED_COMMIT_INTERVAL = Duration.ofSeconds(1);
    private static final Duration TOPIC_ID_TIMEOUT = Duration.ofSeconds(10);

    private final ConsumerDefinition definition;
    private final EnvConfig config;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ConsumerMetrics metrics;
    private final RetryPolicy retryPolicy;
    private final ScheduledExecutorService timer;
    private final ExecutorService deliveryExecutor;
    private final DeliveryBudget budget = new DeliveryBudget(ACCEPT_WAIT_MS, TimeUnit.MILLISECONDS);
    private final ResolvedOffsets offsets = new ResolvedOffsets(RESOLVED_COMMIT_INTERVAL);
    private final ThreadReplacementPolicy threads = new ThreadReplacementPolicy(3, Duration.ofMinutes(10));
    private final Admin kafkaAdmin;
    private final Health health;
    private final AdminServer admin;
    private final DeadLetterPublisher deadLetters;
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final KafkaStreams streams;
    private final KafkaStreamsMetrics streamsMetrics;

    private ConsumerRuntime(ConsumerDefinition definition, EnvConfig config) {
        this.definition = definition;
        this.config = config;
        String prefix = config.prefix();
        this.metrics = new ConsumerMetrics(registry, definition.name());
        this.retryPolicy = RuntimeSettings.retryPolicy(config);
        this.timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named(definition.name() + "-timer"));
        this.deliveryExecutor = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
                DaemonThreads.named(definition.name() + "-delivery"));
        Map<String, Object> kafka = kafkaClientSettings();
        this.kafkaAdmin = Admin.create(ClientSettings.admin(kafka));
        this.health = new Health(kafkaAdmin, offsets, threads,
                Duration.ofMillis(config.getLong(prefix + RuntimeSettings.STALL_TIMEOUT_MS)), registry,
                metrics.name(""), definition.name());
        try {
            this.admin = new AdminServer(config.getInt(prefix + RuntimeSettings.ADMIN_PORT), registry, health);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the admin port " + prefix + RuntimeSettings.ADMIN_PORT, e);
        }
        String dlqTemplate = config.getString(prefix + RuntimeSettings.DLQ_TOPIC);
        List<String> inputs = definition.inputTopics(config);
        Map<String, Object> producerSettings = deadLetterProducerSettings(kafka, inputs, dlqTemplate);
        this.deadLetters = new DeadLetterPublisher(
                DeadLetterPublisher.producer(producerSettings, applicationId() + "-dead-letters"),
                dlqTemplate, definition.name(), metrics, timer, retryPolicy, RecordSizes.maxRequestSize(producerSettings));

        Topology topology = definition.topology(config, this);
        LOG.info("Starting {} consumer {} with {}\n{}", definition.name(), Version.current(), config.describe(), topology.describe());
        this.streams = new KafkaStreams(topology, streamsProperties(kafka), offsets.clientSupplier());
        this.streams.setUncaughtExceptionHandler(threads);
        this.streams.setStateListener((now, before) -> {
            LOG.info("Kafka Streams {} -> {}", before, now);
            if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
                terminated.countDown();
            }
        });
        budget.onPause(() -> {
            LOG.info("Pausing processing: {} records unresolved or a sink is down", budget.unresolved());
            streams.pause();
        }, () -> {
            LOG.info("Resuming processing");
            streams.resume();
        });
        health.streams(streams);
        this.streamsMetrics = new KafkaStreamsMetrics(streams);
        bindMetrics();
        streams.start();
    }

    /**
     * Invariant 11 for dead letters: the topics are created to hold any input record with its error headers, the
     * producer's {@code max.request.size} follows unless set, and what still cannot hold one whole is named at start.
     */
    private Map<String, Object> deadLetterProducerSettings(Map<String, Object> kafka, List<String> inputs, String template) {
        Map<String, Integer> needed = TopicSetup.ensureDeadLetterTopics(kafkaAdmin, inputs, template);
        Map<String, Object> settings = ClientSettings.producer(kafka);
        int largest = needed.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        settings.putIfAbsent(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Math.max(RecordSizes.DEFAULT_MAX_REQUEST_SIZE, largest));
        List<String> deadLetterTopics = inputs.stream().map(input -> DeadLetters.topicFor(template, input)).toList();
        Map<String, Integer> limits = RecordSizes.maxMessageBytes(kafkaAdmin, deadLetterTopics, Duration.ofSeconds(30));
        TopicSetup.deadLetterMisfits(needed, limits, RecordSizes.maxRequestSize(settings), template).forEach(LOG::warn);
        return settings;
    }

    /** Parses the settings from {@code env} and starts the consumer; fails fast on a bad setting. */
    public static ConsumerRuntime start(ConsumerDefinition definition, Map<String, String> env) {
        Map<String, String> named = LegacyNames.applied(definition.envPrefix(), env, LOG::warn);
        return new ConsumerRuntime(definition, EnvConfig.parse(definition.envPrefix(), configDef(definition), named));
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
    public static void main(ConsumerDefinition definition, String[] args) {
        if (Version.printed(definition.name() + "-consumer", args)) {
            return;
        }
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
        return deliveryExecutor;
    }

    @Override
    public ScheduledExecutorService timer() {
        return timer;
    }

    @Override
    public Duration taskCloseTimeout() {
        return Duration.ofMillis(config.getLong(config.prefix() + RuntimeSettings.TASK_CLOSE_TIMEOUT_MS));
    }

    @Override
    public void watch(SinkHealth sink) {
        health.watch(sink);
        sink.onChange(budget::sinkStateChanged);
        Gauge.builder(metrics.name("sink_up"), sink, s -> s.state() == SinkHealth.State.UP ? 1 : 0)
                .description("1 while the sink is considered up, 0 while deliveries wait for its probe to answer")
                .tag("sink", sink.name())
                .register(registry);
    }

    @Override
    public String topicId(String topic) throws Exception {
        Uuid id = kafkaAdmin.describeTopics(List.of(topic)).topicNameValues().get(topic)
                .get(TOPIC_ID_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).topicId();
        if (Uuid.ZERO_UUID.equals(id)) {
            throw new IllegalStateException("the broker gives topic " + topic + " no id (brokers before Kafka 2.8)");
        }
        return id.toString();
    }

    @Override
    public synchronized void closeOnShutdown(AutoCloseable resource) {
        resources.push(resource);
    }

    /**
     * Stops after the sink calls already started finished (each partition waits at most
     * TASK_CLOSE_TIMEOUT_MS), within the shutdown timeout; what is still unresolved then stays
     * uncommitted and is delivered again by the next owner. Nothing is dead-lettered for being late.
     * A dynamic member leaves the group; a static one stays (see {@link #membershipOnClose()}).
     */
    @Override
    public synchronized void close() {
        if (streams.state() == KafkaStreams.State.NOT_RUNNING && resources.isEmpty()) {
            return;
        }
        Duration timeout = Duration.ofMillis(config.getLong(config.prefix() + RuntimeSettings.SHUTDOWN_TIMEOUT_MS));
        KafkaStreams.State before = streams.state();
        LOG.info("Shutting down {} consumer (timeout {})", definition.name(), timeout);
        boolean closedInTime = streams.close(CloseOptions.timeout(timeout).withGroupMembershipOperation(membershipOnClose()));
        while (!resources.isEmpty()) {
            closeQuietly(resources.pop());
        }
        closeQuietly(deadLetters);
        closeQuietly(streamsMetrics);
        closeQuietly(health);
        kafkaAdmin.close(Duration.ofSeconds(2));
        timer.shutdownNow();
        deliveryExecutor.shutdownNow();
        admin.close();
        registry.close();
        if (before == KafkaStreams.State.ERROR) {
            LOG.error("{} consumer stopped after Kafka Streams failed (ERROR)", definition.name());
        } else if (!closedInTime) {
            LOG.warn("{} consumer stopped after the shutdown timeout; uncommitted records will be processed again",
                    definition.name());
        } else {
            LOG.info("{} consumer stopped cleanly", definition.name());
        }
        terminated.countDown();
    }

    /** The Kafka Streams application id, which is also the consumer group id. */
    public String applicationId() {
        return config.getString(config.prefix() + RuntimeSettings.KAFKA_APPLICATION_ID);
    }

    /**
     * A static member (group.instance.id, one per StatefulSet pod) stays in the group: its restart within
     * session.timeout.ms takes its partitions back without a rebalance, which an explicit leave would
     * force on every member. A dynamic member leaves, so that its partitions move at once.
     */
    CloseOptions.GroupMembershipOperation membershipOnClose() {
        Map<String, String> kafka = config.kafkaProperties();
        boolean staticMember = Stream.of(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG),
                        StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG))
                .map(kafka::get).anyMatch(id -> id != null && !id.isBlank());
        return staticMember ? CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP : CloseOptions.GroupMembershipOperation.LEAVE_GROUP;
    }

    private Map<String, Object> kafkaClientSettings() {
        Map<String, Object> kafka = new HashMap<>(config.kafkaProperties());
        kafka.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.getString(config.prefix() + RuntimeSettings.KAFKA_BOOTSTRAP_SERVERS));
        kafka.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId());
        return kafka;
    }

    private Properties streamsProperties(Map<String, Object> kafka) {
        Properties props = new Properties();
        // Defaults first, so that any <PREFIX>KAFKA_* variable overrides them.
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        // Commits never wait for a sink (they are clamped to resolved offsets), so they can be frequent:
        // a crash redelivers at most this much beyond what was unresolved.
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 5_000);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG), "all");
        // A record with a negative timestamp must reach our processor like any other, not fail the thread.
        props.put(StreamsConfig.DEFAULT_TIMESTAMP_EXTRACTOR_CLASS_CONFIG, UsePartitionTimeOnInvalidTimestamp.class);
        props.putAll(definition.streamsDefaults());
        props.putAll(kafka);
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
