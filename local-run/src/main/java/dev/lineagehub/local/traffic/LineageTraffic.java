package dev.lineagehub.local.traffic;

import dev.lineagehub.sdk.Dataset;
import dev.lineagehub.sdk.JobContext;
import dev.lineagehub.sdk.LineageHub;
import dev.lineagehub.sdk.client.HttpTransport;
import dev.lineagehub.sdk.client.KafkaTransport;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Two workers written on lineage-sdk, as a team would write them. The {@code orders_daily} DAG
 * publishes through the SDK's Kafka transport: {@code extract_orders} copies Postgres to the lake,
 * then {@code load_warehouse} and {@code load_search} both read that copy (the fan-out), each a
 * nested stage of the DAG's run. The {@code sessions_rollup} job posts through the HTTP transport into
 * ingest-api with its namespace's API key, and fails.
 *
 * <p>Each cycle runs inside the OpenTelemetry span that {@link TelemetryTraffic} publishes for the same
 * cycle number, so the SDK puts that trace's ids on every run and ClickHouse joins runs with spans.
 */
public final class LineageTraffic implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Dataset ORDERS = Dataset.of("postgres://orders-db:5432", "shop.public.orders");
    private static final Dataset LAKE_COPY = Dataset.of("s3://analytics-lake", "raw/orders");
    private static final Map<String, Dataset> LOADS = Map.of(
            "load_search", Dataset.of("elasticsearch://search:9200", "orders"),
            "load_warehouse", Dataset.of("snowflake://acme-xy12345", "ANALYTICS.MARTS.ORDERS"));
    private static final Dataset CLICKS = Dataset.of("s3a://raw-events", "clicks");
    private static final Dataset ROLLUP = Dataset.of("hdfs://namenode:8020", "/warehouse/sessions_rollup");

    private final LineageHub airflow;
    private final LineageHub spark;

    /** @param ingestUrl ingest-api's base URL, which the Spark job's events go to with {@code apiKey} */
    public LineageTraffic(String bootstrapServers, String topic, URI ingestUrl, String apiKey) {
        KafkaTransport toKafka = new KafkaTransport(KafkaTransport.Config.of(bootstrapServers).withTopic(topic).withTimeout(TIMEOUT));
        this.airflow = LineageHub.builder("airflow-local", toKafka).build();
        this.spark = LineageHub.builder("spark-local", new HttpTransport(HttpTransport.Config.of(ingestUrl).withApiKey(apiKey).withTimeout(TIMEOUT)))
                .build();
    }

    /** Runs one cycle's jobs; returns how many events they emitted. */
    public int cycle(int trace) {
        SpanContext span = SpanContext.create(SpanRequests.traceIdHex(trace), SpanRequests.rootSpanIdHex(trace),
                TraceFlags.getSampled(), TraceState.getDefault());
        try (Scope ignored = Span.wrap(span).makeCurrent()) {
            return ordersDag() + sessionsRollup();
        }
    }

    private int ordersDag() {
        int events = 2;
        try (JobContext dag = airflow.start("orders_daily", Map.of("schedule", "@daily"))) {
            try (JobContext extract = dag.stage("extract_orders")) {
                extract.addInput(ORDERS).addOutput(LAKE_COPY);
            }
            events += 2;
            for (Map.Entry<String, Dataset> load : new java.util.TreeMap<>(LOADS).entrySet()) {
                try (JobContext task = dag.stage(load.getKey())) {
                    task.addInput(LAKE_COPY).addOutput(load.getValue());
                }
                events += 2;
            }
        }
        return events;
    }

    private int sessionsRollup() {
        try {
            spark.track("sessions_rollup", List.of(CLICKS), List.of(ROLLUP), () -> {
                throw new IllegalStateException("[PATH_NOT_FOUND] Path does not exist: s3a://raw-events/clicks");
            });
        } catch (Exception expected) {
            // The job fails every cycle on purpose: its FAIL event, with this message, is what the sinks show.
        }
        return 2;
    }

    @Override
    public void close() {
        airflow.close();
        spark.close();
    }
}
