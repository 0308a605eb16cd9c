package dev.lineagehub.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lineagehub.otlp.Encoding;
import dev.lineagehub.otlp.OtlpDecoder;
import dev.lineagehub.testing.RealKafka;
import dev.lineagehub.testing.TestKafka;

import com.google.protobuf.ByteString;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** OTLP/HTTP into the Collector Kafka exporter's topics, from the OpenTelemetry Java SDK's own exporters. */
@ExtendWith(RealKafka.class)
class IngestApiOtlpTest {

    private static final String ADMIN = "admin-key-for-tests";
    private IngestApi api;

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    private Map<String, String> start(TestKafka kafka) throws Exception {
        Map<String, String> topics = Map.of("LINEAGEHUB_INGEST_SPANS_TOPIC", kafka.newTopic("otlp_spans", 2),
                "LINEAGEHUB_INGEST_METRICS_TOPIC", kafka.newTopic("otlp_metrics", 2), "LINEAGEHUB_INGEST_LOGS_TOPIC", kafka.newTopic("otlp_logs", 2));
        Map<String, String> env = new HashMap<>(topics);
        env.putAll(Map.of("LINEAGEHUB_INGEST_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(), "LINEAGEHUB_INGEST_PORT", "0",
                "LINEAGEHUB_INGEST_ADMIN_KEY", ADMIN, "LINEAGEHUB_INGEST_NAMESPACES_TOPIC", kafka.newTopic("namespaces", 1), "LINEAGEHUB_INGEST_AUDIT_TOPIC", ""));
        api = IngestApi.start(env);
        return topics;
    }

    @Test
    void theSdksOtlpHttpExportersWriteTracesMetricsAndLogsAsTheCollectorsKafkaExporterWould(TestKafka kafka) throws Exception {
        Map<String, String> topics = start(kafka);
        IngestApiClient client = new IngestApiClient(api.port());
        String key = client.createNamespace(ADMIN, "checkout", "team-shop");
        String endpoint = client.url();
        Resource resource = Resource.getDefault().merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "checkout")));

        SdkTracerProvider tracing = SdkTracerProvider.builder().setResource(resource)
                .addSpanProcessor(SimpleSpanProcessor.create(OtlpHttpSpanExporter.builder().setEndpoint(endpoint + "/v1/traces")
                        .addHeader("Authorization", "Bearer " + key).setCompression("gzip").build())).build();
        Tracer tracer = tracing.get("ingest-test");
        List<String> traceIds = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            io.opentelemetry.api.trace.Span span = tracer.spanBuilder("GET /cart/" + i).setAttribute("http.status_code", 200L).startSpan();
            traceIds.add(span.getSpanContext().getTraceId());
            span.end();
        }
        assertThat(tracing.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
        tracing.close();

        SdkMeterProvider meters = SdkMeterProvider.builder().setResource(resource)
                .registerMetricReader(PeriodicMetricReader.builder(OtlpHttpMetricExporter.builder().setEndpoint(endpoint + "/v1/metrics")
                        .addHeader("Authorization", "Bearer " + key).build()).setInterval(Duration.ofHours(1)).build()).build();
        meters.get("ingest-test").counterBuilder("cart.checkouts").build().add(5);
        assertThat(meters.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
        meters.close();

        SdkLoggerProvider logs = SdkLoggerProvider.builder().setResource(resource)
                .addLogRecordProcessor(SimpleLogRecordProcessor.create(OtlpHttpLogRecordExporter.builder().setEndpoint(endpoint + "/v1/logs")
                        .addHeader("Authorization", "Bearer " + key).build())).build();
        logs.get("ingest-test").logRecordBuilder().setBody("cart checked out").emit();
        assertThat(logs.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
        logs.close();

        List<ConsumerRecord<byte[], byte[]>> spans = kafka.read(topics.get("LINEAGEHUB_INGEST_SPANS_TOPIC"), 3, Duration.ofSeconds(20));
        List<String> stored = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : spans) {
            assertThat(record.key()).as("the exporter's default: no key").isNull();
            OtlpDecoder.traces(record.value(), Encoding.OTLP_PROTO).getResourceSpansList().forEach(rs -> rs.getScopeSpansList()
                    .forEach(ss -> ss.getSpansList().forEach(span -> stored.add(java.util.HexFormat.of().formatHex(span.getTraceId().toByteArray())))));
        }
        assertThat(stored).containsExactlyInAnyOrderElementsOf(traceIds);
        List<ConsumerRecord<byte[], byte[]>> metricRecords = kafka.read(topics.get("LINEAGEHUB_INGEST_METRICS_TOPIC"), 1, Duration.ofSeconds(20));
        assertThat(OtlpDecoder.metrics(metricRecords.get(0).value(), Encoding.OTLP_PROTO).getResourceMetrics(0).getScopeMetrics(0)
                .getMetrics(0).getName()).isEqualTo("cart.checkouts");
        List<ConsumerRecord<byte[], byte[]>> logRecords = kafka.read(topics.get("LINEAGEHUB_INGEST_LOGS_TOPIC"), 1, Duration.ofSeconds(20));
        assertThat(OtlpDecoder.logs(logRecords.get(0).value(), Encoding.OTLP_PROTO).getResourceLogs(0).getScopeLogs(0)
                .getLogRecords(0).getBody().getStringValue()).isEqualTo("cart checked out");
    }

    @Test
    void otlpJsonIsPublishedAsTheSameRequestInProtobufAndBadRequestsAreRefusedInOtlpsWay(TestKafka kafka) throws Exception {
        Map<String, String> topics = start(kafka);
        IngestApiClient client = new IngestApiClient(api.port());
        String json = "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"cart\"}}]},"
                + "\"scopeSpans\":[{\"spans\":[{\"traceId\":\"5b8efff798038103d269b633813fc60c\",\"spanId\":\"eee19b7ec3c1b174\","
                + "\"name\":\"checkout\",\"kind\":2,\"startTimeUnixNano\":\"1544712660000000000\",\"endTimeUnixNano\":\"1544712661000000000\"}]}]}]}";
        HttpResponse<String> accepted = client.post("/api/v1/telemetry/ingest", ADMIN, "application/json",
                json.getBytes(StandardCharsets.UTF_8), true);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        assertThat(accepted.body()).isEqualTo("{}");
        ExportTraceServiceRequest stored = ExportTraceServiceRequest.parseFrom(
                kafka.read(topics.get("LINEAGEHUB_INGEST_SPANS_TOPIC"), 1, Duration.ofSeconds(20)).get(0).value());
        assertThat(java.util.HexFormat.of().formatHex(stored.getResourceSpans(0).getScopeSpans(0).getSpans(0).getTraceId().toByteArray()))
                .isEqualTo("5b8efff798038103d269b633813fc60c");

        assertThat(client.post("/v1/traces", ADMIN, "application/x-protobuf", new byte[] {(byte) 0xff, 0x01, 0x02}, false).statusCode())
                .isEqualTo(400);
        assertThat(client.post("/v1/traces", ADMIN, "application/json", "[1,2]".getBytes(StandardCharsets.UTF_8), false).statusCode())
                .isEqualTo(400);
        assertThat(client.post("/v1/traces", null, "application/x-protobuf", stored.toByteArray(), false).statusCode()).isEqualTo(401);
        // An empty export request is valid and stores nothing.
        assertThat(client.post("/v1/logs", ADMIN, "application/x-protobuf", new byte[0], false).statusCode()).isEqualTo(200);
    }

    @Test
    void whatTheCollectorsReceiverRefusesIsRefusedWholeAndNothingOfItIsPublished(TestKafka kafka) throws Exception {
        Map<String, String> topics = start(kafka);
        String spansTopic = topics.get("LINEAGEHUB_INGEST_SPANS_TOPIC");
        IngestApiClient client = new IngestApiClient(api.port());
        ExportTraceServiceRequest valid = spans(span(16, 8, 0), span(16, 8, 8), span(0, 8, 0));
        assertThat(client.post("/v1/traces", ADMIN, "application/x-protobuf", valid.toByteArray(), false).statusCode()).isEqualTo(200);
        // Each id just short of and just past its length, alone in a request or beside valid spans.
        for (ExportTraceServiceRequest refused : List.of(spans(span(3, 8, 0)), spans(span(15, 8, 0)), spans(span(17, 8, 0)),
                spans(span(16, 7, 0)), spans(span(16, 9, 0)), spans(span(16, 8, 7)), spans(span(16, 8, 16)),
                spans(span(16, 8, 0), span(3, 8, 0)))) {
            HttpResponse<String> answer = client.post("/v1/traces", ADMIN, "application/x-protobuf", refused.toByteArray(), false);
            assertThat(answer.statusCode()).as(refused.toString()).isEqualTo(400);
            assertThat(answer.body()).contains("the Collector refuses such a request");
        }
        String shortTraceId = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"5b8eff\",\"spanId\":\"eee19b7ec3c1b174\","
                + "\"name\":\"checkout\"}]}]}]}";
        assertThat(client.post("/v1/traces", ADMIN, "application/json", shortTraceId.getBytes(StandardCharsets.UTF_8), false).statusCode())
                .isEqualTo(400);
        assertThat(kafka.written(spansTopic)).as("only the valid request").isEqualTo(1);

        // Only OTLP/HTTP's two media types, whatever the bytes.
        for (String type : List.of("text/plain", "application/octet-stream", "application/protobuf", "application/jsonx")) {
            HttpResponse<String> answer = client.post("/v1/traces", ADMIN, type, valid.toByteArray(), false);
            assertThat(answer.statusCode()).as(type).isEqualTo(415);
            assertThat(answer.body()).contains("application/x-protobuf or application/json");
        }
        assertThat(client.post("/v1/traces", ADMIN, "application/x-protobuf; charset=binary", valid.toByteArray(), false).statusCode())
                .isEqualTo(200);
        assertThat(kafka.written(spansTopic)).isEqualTo(2);
    }

    @Test
    void anExportCostsItsSpansAndOneAboveTheBurstIsTooLarge(TestKafka kafka) throws Exception {
        Map<String, String> topics = start(kafka);
        IngestApiClient client = new IngestApiClient(api.port());
        HttpResponse<String> created = client.postJson("/api/v1/namespaces", ADMIN,
                "{\"name\":\"shop\",\"owner\":\"shop\",\"quota\":{\"telemetryItemsPerSecond\":0.01,\"telemetryBurst\":5}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String key = IngestApiClient.JSON.readTree(created.body()).path("apiKey").asText();
        Span[] six = new Span[6];
        java.util.Arrays.fill(six, span(16, 8, 0));
        HttpResponse<String> tooLarge = client.post("/v1/traces", key, "application/x-protobuf", spans(six).toByteArray(), false);
        assertThat(tooLarge.statusCode()).as("just past the burst").isEqualTo(413);
        assertThat(tooLarge.body()).contains("above this key's burst of 5");
        assertThat(client.post("/v1/traces", key, "application/x-protobuf",
                spans(java.util.Arrays.copyOf(six, 5)).toByteArray(), false).statusCode()).as("at the burst").isEqualTo(200);
        HttpResponse<String> later = client.post("/v1/traces", key, "application/x-protobuf", spans(six[0]).toByteArray(), false);
        assertThat(later.statusCode()).isEqualTo(429);
        assertThat(later.headers().firstValue("Retry-After")).isPresent();
        assertThat(kafka.written(topics.get("LINEAGEHUB_INGEST_SPANS_TOPIC"))).isEqualTo(1);
    }

    private static ExportTraceServiceRequest spans(Span... spans) {
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(List.of(spans)))).build();
    }

    private static Span span(int traceIdBytes, int spanIdBytes, int parentIdBytes) {
        return Span.newBuilder().setTraceId(ByteString.copyFrom(new byte[traceIdBytes])).setSpanId(id(spanIdBytes))
                .setParentSpanId(id(parentIdBytes)).setName("checkout").build();
    }

    private static ByteString id(int bytes) {
        byte[] id = new byte[bytes];
        java.util.Arrays.fill(id, (byte) 7);
        return ByteString.copyFrom(id);
    }
}
