package dev.lineagehub.local.traffic;

import static dev.lineagehub.local.traffic.SpanRequests.kv;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Publishes OTLP protobuf export requests the way the OpenTelemetry Collector's Kafka exporter does
 * ({@code otlp_proto}, no key): per cycle one trace of a web service's request, the request's log line
 * (correlated with the trace by its ids), and one metrics request with a gauge, a cumulative sum and a histogram.
 */
public final class TelemetryTraffic implements AutoCloseable {

    private static final int SPANS_PER_TRACE = 6;

    private final KafkaProducer<byte[], byte[]> producer;
    private final SdkMeterProvider sdkMeters;
    private final LongCounter checkouts;
    private final String spansTopic;
    private final String metricsTopic;
    private final String logsTopic;
    private long requestsServed;

    /**
     * @param ingestUrl ingest-api's base URL: the OpenTelemetry SDK's OTLP/HTTP exporter sends the
     *                  {@code orders.checked_out} counter there with {@code apiKey}, as an instrumented service would
     */
    public TelemetryTraffic(String bootstrapServers, String spansTopic, String metricsTopic, String logsTopic,
                            URI ingestUrl, String apiKey) {
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.LINGER_MS_CONFIG, 5), new ByteArraySerializer(), new ByteArraySerializer());
        this.spansTopic = spansTopic;
        this.metricsTopic = metricsTopic;
        this.logsTopic = logsTopic;
        this.sdkMeters = SdkMeterProvider.builder()
                .setResource(io.opentelemetry.sdk.resources.Resource.getDefault().merge(io.opentelemetry.sdk.resources.Resource.create(
                        Attributes.of(AttributeKey.stringKey("service.name"), "orders"))))
                .registerMetricReader(PeriodicMetricReader.builder(OtlpHttpMetricExporter.builder()
                        .setEndpoint(ingestUrl + "/v1/metrics").addHeader("Authorization", "Bearer " + apiKey).setCompression("gzip")
                        .build()).setInterval(Duration.ofSeconds(2)).build())
                .build();
        this.checkouts = sdkMeters.get("org.example.orders").counterBuilder("orders.checked_out").setUnit("{order}").build();
    }

    /** Publishes the cycle's trace, its log line and metrics; returns the spans published. */
    public int cycle(int trace) {
        long now = System.currentTimeMillis() * 1_000_000L;
        ExportTraceServiceRequest spans = SpanRequests.request(trace, SPANS_PER_TRACE, now);
        producer.send(new ProducerRecord<>(spansTopic, spans.toByteArray()));
        producer.send(new ProducerRecord<>(logsTopic, log(spans.getResourceSpans(0).getScopeSpans(0).getSpans(0), now).toByteArray()));
        requestsServed += SPANS_PER_TRACE;
        producer.send(new ProducerRecord<>(metricsTopic, metrics(now).toByteArray()));
        checkouts.add(1, Attributes.of(AttributeKey.stringKey("payment.method"), trace % 3 == 0 ? "card" : "invoice"));
        return SPANS_PER_TRACE;
    }

    /** The server span's access log line, with its trace and span ids as the OpenTelemetry log bridge sets them. */
    private static ExportLogsServiceRequest log(Span server, long nowNanos) {
        return ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(kv("service.name", "orders")))
                .addScopeLogs(ScopeLogs.newBuilder()
                        .setScope(InstrumentationScope.newBuilder().setName("org.example.orders.AccessLog"))
                        .addLogRecords(LogRecord.newBuilder().setTimeUnixNano(nowNanos).setObservedTimeUnixNano(nowNanos)
                                .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_INFO).setSeverityText("INFO")
                                .setBody(AnyValue.newBuilder().setStringValue(server.getName() + " served"))
                                .setTraceId(server.getTraceId()).setSpanId(server.getSpanId()).setFlags(1)
                                .addAttributes(kv("http.route", "/api/orders/{id}")))))
                .build();
    }

    private ExportMetricsServiceRequest metrics(long nowNanos) {
        double latencyMs = 5 + ThreadLocalRandom.current().nextDouble(40);
        Metric heap = Metric.newBuilder().setName("jvm.memory.used").setUnit("By").setDescription("JVM heap in use")
                .setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(nowNanos)
                        .setAsInt(180_000_000L + ThreadLocalRandom.current().nextLong(20_000_000L))
                        .addAttributes(kv("jvm.memory.type", "heap"))))
                .build();
        Metric served = Metric.newBuilder().setName("http.server.requests").setUnit("{request}")
                .setSum(Sum.newBuilder().setIsMonotonic(true)
                        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                        .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(nowNanos).setAsInt(requestsServed)
                                .addAttributes(kv("http.route", "/api/orders/{id}"))))
                .build();
        List<Long> counts = List.of(0L, latencyMs < 10 ? 1L : 0L, latencyMs >= 10 && latencyMs < 25 ? 1L : 0L, latencyMs >= 25 ? 1L : 0L);
        Metric duration = Metric.newBuilder().setName("http.server.request.duration").setUnit("ms")
                .setHistogram(Histogram.newBuilder()
                        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
                        .addDataPoints(HistogramDataPoint.newBuilder().setTimeUnixNano(nowNanos).setCount(1).setSum(latencyMs)
                                .addAllExplicitBounds(List.of(5.0, 10.0, 25.0)).addAllBucketCounts(counts)
                                .addAttributes(kv("http.route", "/api/orders/{id}"))))
                .build();
        return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(kv("service.name", "orders")))
                .addScopeMetrics(ScopeMetrics.newBuilder()
                        .setScope(InstrumentationScope.newBuilder().setName("io.opentelemetry.runtime-telemetry-java17"))
                        .addMetrics(heap).addMetrics(served).addMetrics(duration)))
                .build();
    }

    @Override
    public void close() {
        sdkMeters.close();
        producer.close();
    }
}
