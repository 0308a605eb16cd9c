package dev.lineagehub.local;

import dev.lineagehub.protocol.TransportKey;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lineagehub.ingest.IngestApi;
import dev.lineagehub.lineage.LineageConsumer;
import dev.lineagehub.lineage.MarquezDouble;
import dev.lineagehub.otel.OtelConsumer;
import dev.lineagehub.testing.clickhouse.ClickHouseHttpFixture;
import dev.lineagehub.otel.testing.OtelClickHouse;
import dev.lineagehub.runtime.ConsumerRuntime;
import dev.lineagehub.testing.Await;
import dev.lineagehub.testing.RealKafka;
import dev.lineagehub.testing.SampleEvents;
import dev.lineagehub.testing.TestEnv;
import dev.lineagehub.testing.TestKafka;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.openlineage.client.OpenLineage;
import io.openlineage.client.transports.HttpConfig;
import io.openlineage.client.transports.HttpTransport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The hub end to end from HTTP: producers' own clients → ingest-api → Kafka → the consumers → the
 * sinks. OpenLineage through the Java client's HTTP transport into the Marquez double, in the order the
 * producer sent each family of runs; OTLP through the OpenTelemetry SDK's exporter into ClickHouse rows.
 */
@ExtendWith(RealKafka.class)
class IngestPipelineTest {

    private final List<AutoCloseable> running = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        java.util.Collections.reverse(running);
        for (AutoCloseable resource : running) {
            resource.close();
        }
    }

    private IngestApi ingest(TestKafka kafka, Map<String, String> topics) throws Exception {
        Map<String, String> env = new HashMap<>(topics);
        env.putAll(Map.of("LINEAGEHUB_INGEST_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(), "LINEAGEHUB_INGEST_PORT", "0",
                "LINEAGEHUB_INGEST_AUTH", "none",
                "LINEAGEHUB_INGEST_NAMESPACES_TOPIC", kafka.newTopic("namespaces", 1), "LINEAGEHUB_INGEST_AUDIT_TOPIC", ""));
        IngestApi api = IngestApi.start(env);
        running.add(api);
        return api;
    }

    @Test
    void openLineageClientsHttpTransportToMarquezKeepsEveryFamilyInTheProducersOrder(TestKafka kafka) throws Exception {
        String topic = kafka.newTopic("openlineage-events", 4);
        MarquezDouble marquez = new MarquezDouble().latency(Duration.ofMillis(10));
        running.add(marquez);
        IngestApi api = ingest(kafka, Map.of("LINEAGEHUB_INGEST_LINEAGE_TOPIC", topic));
        Map<String, String> env = TestEnv.forConsumer(new LineageConsumer(), kafka, "ingest-e2e-" + topic);
        env.put("LINEAGEHUB_LINEAGE_TOPIC", topic);
        env.put("LINEAGEHUB_LINEAGE_URL", marquez.url());
        running.add(ConsumerRuntime.start(new LineageConsumer(), env));

        List<OpenLineage.RunEvent> sent = SampleEvents.families(6, 3);
        HttpConfig config = new HttpConfig();
        config.setUrl(URI.create("http://localhost:" + api.port()));
        config.setCompression(HttpConfig.Compression.GZIP);
        try (HttpTransport transport = new HttpTransport(config)) {
            sent.forEach(transport::emit);
        }

        Await.until(Duration.ofSeconds(60), () -> marquez.received().size() >= sent.size(),
                () -> marquez.received().size() + " of " + sent.size() + " events at Marquez");
        Map<String, List<String>> sentByFamily = new LinkedHashMap<>();
        sent.forEach(event -> sentByFamily.computeIfAbsent(new String(TransportKey.bytesOf(event)), k -> new ArrayList<>())
                .add(event.getRun().getRunId() + " " + event.getEventType()));
        Map<String, String> familyOfRun = new HashMap<>();
        sent.forEach(event -> familyOfRun.put(event.getRun().getRunId().toString(), new String(TransportKey.bytesOf(event))));
        Map<String, List<String>> receivedByFamily = new LinkedHashMap<>();
        marquez.received().forEach(received -> receivedByFamily.computeIfAbsent(familyOfRun.get(received.runId()), k -> new ArrayList<>())
                .add(received.runId() + " " + received.eventType()));
        assertThat(receivedByFamily).isEqualTo(sentByFamily);
    }

    @Test
    void theOpenTelemetrySdksOtlpHttpExporterToClickHouseRows(TestKafka kafka) throws Exception {
        String spans = kafka.newTopic("otlp_spans", 2);
        ClickHouseHttpFixture clickhouse = OtelClickHouse.withSchema();
        running.add(clickhouse);
        IngestApi api = ingest(kafka, Map.of("LINEAGEHUB_INGEST_SPANS_TOPIC", spans));
        Map<String, String> env = TestEnv.forConsumer(new OtelConsumer(), kafka, "ingest-e2e-" + spans);
        env.putAll(Map.of("LINEAGEHUB_OTEL_SPANS_TOPIC", spans, "LINEAGEHUB_OTEL_METRICS_TOPIC", "", "LINEAGEHUB_OTEL_LOGS_TOPIC", "",
                "LINEAGEHUB_OTEL_URL", clickhouse.jdbcUrl(), "LINEAGEHUB_OTEL_BATCH_MAX_MS", "200", "LINEAGEHUB_OTEL_KAFKA_COMMIT_INTERVAL_MS", "1000"));
        running.add(ConsumerRuntime.start(new OtelConsumer(), env));

        SdkTracerProvider tracing = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "checkout"))))
                .addSpanProcessor(BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder()
                        .setEndpoint("http://localhost:" + api.port() + "/v1/traces").setCompression("gzip").build()).build())
                .build();
        Tracer tracer = tracing.get("ingest-e2e");
        List<String> traceIds = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            Span span = tracer.spanBuilder("POST /checkout").setAttribute("cart.items", (long) i).startSpan();
            traceIds.add(span.getSpanContext().getTraceId());
            span.end();
        }
        assertThat(tracing.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
        tracing.close();

        Await.until(Duration.ofSeconds(60), () -> count(clickhouse, "ServiceName = 'checkout'") >= 25,
                () -> count(clickhouse, "ServiceName = 'checkout'") + " of 25 spans in otel_traces");
        assertThat(clickhouse.query("SELECT arrayStringConcat(arraySort(groupArray(TraceId)), ',') FROM otel.otel_traces"
                + " WHERE ServiceName = 'checkout'")).isEqualTo(String.join(",", traceIds.stream().sorted().toList()));
        assertThat(clickhouse.query("SELECT count() FROM otel.otel_traces WHERE SpanAttributes['cart.items'] = '24'")).isEqualTo("1");
    }

    private static long count(ClickHouseHttpFixture clickhouse, String where) {
        return Long.parseLong(clickhouse.query("SELECT count() FROM otel.otel_traces WHERE " + where));
    }
}
