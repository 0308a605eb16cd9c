package dev.lineagehub.sdk;

import dev.lineagehub.sdk.client.RetryPolicy;
import dev.lineagehub.sdk.client.Transport;

import io.openlineage.client.OpenLineage;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A worker's entry point: its namespace, where events go ({@link Transport}), and the background
 * sender that keeps the worker's loop independent of the hub's health. Emitters, job contexts and
 * tracked calls made from one hub share its sender; close the hub when the worker stops.
 *
 * <pre>{@code
 * try (LineageHub hub = LineageHub.fromEnv(System.getenv());
 *      JobContext job = hub.start("daily_sales_etl", Map.of("source", "s3"))) {
 *     job.addInput(Dataset.of("s3://raw", "sales"));
 *     job.registerSnapshot("sales_curated", URI.create("s3://lake/sales/2026-12-01.parquet"), "parquet", schema);
 * }
 * }</pre>
 */
public final class LineageHub implements AutoCloseable {

    /** What this SDK writes as every event's producer. */
    public static final URI PRODUCER = URI.create("https://github.com/lineage-hub/lineage-hub/tree/main/lineage-sdk");

    private final RunEvents events;
    private final Dispatcher dispatcher;
    private final Duration heartbeatEvery;
    private final ScheduledExecutorService heartbeats;

    private LineageHub(Builder builder) {
        this.events = new RunEvents(builder.producer, builder.namespace, builder.clock);
        this.dispatcher = new Dispatcher(Objects.requireNonNull(builder.transport, "transport"), builder.queueCapacity,
                builder.retry, builder.closeTimeout);
        this.heartbeatEvery = builder.heartbeat;
        this.heartbeats = heartbeatEvery.isZero() ? null : Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "lineage-sdk-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
    }

    public static Builder builder(String namespace, Transport transport) {
        return new Builder(namespace, transport);
    }

    /** A hub configured by {@code LINEAGE_SDK_*} variables (see the README); a wrong one fails here, named. */
    public static LineageHub fromEnv(Map<String, String> env) {
        return SdkEnv.builder(env).build();
    }

    /** The seed's emitter for {@code jobName}: one run at a time, the hub's transport decides where runs go. */
    public LineageEmitter emitter(String jobName) {
        return emitter(jobName, null);
    }

    /** An emitter whose runs are the job {@code jobName.stage} unless {@code startRun} names another stage. */
    public LineageEmitter emitter(String jobName, String stage) {
        return new RunEmitter(events, this::submit, jobName, stage);
    }

    /** Starts a run of {@code jobName} (START now, COMPLETE or FAIL on close); {@code metadata} goes in a {@code lineagehub_metadata} facet. */
    public JobContext start(String jobName, Map<String, ?> metadata) {
        return start(jobName, metadata, List.of(), List.of());
    }

    private JobContext start(String jobName, Map<String, ?> metadata, List<Dataset> inputs, List<Dataset> outputs) {
        Run run = new Run(events, this::submit, jobName, null);
        if (metadata != null && !metadata.isEmpty()) {
            run.putFacets(Map.of("lineagehub_metadata", events.customFacet(metadata)));
        }
        inputs.forEach(run::addInput);
        outputs.forEach(run::addOutput);
        return new JobContext(this, run);
    }

    /** What a job does inside its run. */
    @FunctionalInterface
    public interface Work<T> {
        T run(JobContext job) throws Exception;
    }

    /** Runs {@code work} as a run of {@code jobName}: COMPLETE when it returns, FAIL (and rethrown) when it throws. */
    public <T> T run(String jobName, Map<String, ?> metadata, Work<T> work) throws Exception {
        return run(start(jobName, metadata), work);
    }

    private static <T> T run(JobContext started, Work<T> work) throws Exception {
        try (JobContext job = started) {
            try {
                return work.run(job);
            } catch (Exception | Error e) {
                job.fail(e);
                throw e;
            }
        }
    }

    /** Seed 003's decorator: {@code work} as a run of {@code jobName} reading {@code inputs} and writing {@code outputs}. */
    public <T> T track(String jobName, List<Dataset> inputs, List<Dataset> outputs, Callable<T> work) throws Exception {
        return run(start(jobName, Map.of(), inputs, outputs), job -> work.call());
    }

    /** Events the destination acknowledged. */
    public long sent() {
        return dispatcher.sent();
    }

    /** Events given up on (logged as warnings when they were). */
    public long dropped() {
        return dispatcher.dropped();
    }

    /** Waits for every event emitted so far to be sent or dropped; false if {@code timeout} passed first. */
    public boolean flush(Duration timeout) throws InterruptedException {
        return dispatcher.flush(timeout);
    }

    RunEvents events() {
        return events;
    }

    void submit(OpenLineage.RunEvent event) {
        dispatcher.submit(event);
    }

    ScheduledFuture<?> heartbeat(Runnable beat) {
        return heartbeats == null ? null
                : heartbeats.scheduleAtFixedRate(beat, heartbeatEvery.toMillis(), heartbeatEvery.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Sends what is queued (for at most the close timeout), then stops. */
    @Override
    public void close() {
        if (heartbeats != null) {
            heartbeats.shutdownNow();
        }
        dispatcher.close();
    }

    /** The hub's settings; every one has a default but the namespace and the transport. */
    public static final class Builder {
        private final String namespace;
        private final Transport transport;
        private URI producer = PRODUCER;
        private int queueCapacity = 10_000;
        private RetryPolicy retry = new RetryPolicy(Integer.MAX_VALUE, Duration.ofMillis(200), Duration.ofSeconds(10), Duration.ofMinutes(1));
        private Duration closeTimeout = Duration.ofSeconds(10);
        private Duration heartbeat = Duration.ZERO;
        private Clock clock = Clock.systemUTC();

        private Builder(String namespace, Transport transport) {
            this.namespace = namespace;
            this.transport = transport;
        }

        public Builder producer(URI producer) {
            this.producer = Objects.requireNonNull(producer, "producer");
            return this;
        }

        /** Events waiting for the transport; beyond it new events are dropped (default 10,000). */
        public Builder queueCapacity(int events) {
            this.queueCapacity = events;
            return this;
        }

        /** How an event is retried before it is dropped (default: backoff 200 ms to 10 s, for up to a minute). */
        public Builder retry(RetryPolicy retry) {
            this.retry = Objects.requireNonNull(retry, "retry");
            return this;
        }

        /** How long {@link LineageHub#close()} waits for queued events (default 10 s). */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = Objects.requireNonNull(timeout, "closeTimeout");
            return this;
        }

        /** A RUNNING event every {@code every} while a job context is open; zero (the default) sends none. */
        public Builder heartbeat(Duration every) {
            if (every.isNegative()) {
                throw new IllegalArgumentException("the heartbeat interval must not be negative");
            }
            this.heartbeat = every;
            return this;
        }

        /** The clock of event times and run ids (tests fix it to compare two deliveries of one run). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public LineageHub build() {
            return new LineageHub(this);
        }
    }
}
