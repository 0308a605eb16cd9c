package dev.lineagehub.bench;

import dev.lineagehub.local.traffic.SpanRequests;
import dev.lineagehub.otel.OtelConsumer;
import dev.lineagehub.otel.decode.SpanRow;
import dev.lineagehub.otel.decode.SpanRows;
import dev.lineagehub.otel.sink.SpanTable;
import dev.lineagehub.otel.testing.ClickHouseHttpFixture;
import dev.lineagehub.otel.testing.OtelClickHouse;
import dev.lineagehub.testing.ConsumerProcess;
import dev.lineagehub.testing.RealKafka;
import dev.lineagehub.testing.TestKafka;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

import java.nio.file.Files;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * otel-consumer end to end (Kafka → decode → batches → clickhouse-jdbc → the real engine) next to a
 * plain clickhouse-jdbc batch insert of the same rows into the same engine, in the same run.
 */
public final class OtelBenchmark {

    private static final String INSERT = "INSERT INTO otel.otel_traces";

    private final int records;
    private final int spansPerRecord;
    private final int partitions;
    private final int batchRows;
    private final String heap;
    private final Map<String, String> overrides;

    private OtelBenchmark(Options options) {
        this.records = options.integer("records", 2_000);
        this.spansPerRecord = options.integer("spans", 50);
        this.partitions = options.integer("partitions", 4);
        this.batchRows = options.integer("batchRows", 10_000);
        this.heap = options.string("heap", "512m");
        // CLICKHOUSE_* settings for the consumer, e.g. CLICKHOUSE_BATCH_MAX_MS=5000.
        this.overrides = options.withPrefix("CLICKHOUSE_");
    }

    public static void main(String[] args) throws Exception {
        new OtelBenchmark(new Options(args)).run();
        System.exit(0);
    }

    private void run() throws Exception {
        int spans = records * spansPerRecord;
        System.out.printf("otel-consumer benchmark: %d spans (%d records of %d), %d partitions, batches of %d rows, "
                + "consumer heap %s; consumer settings %s%n", spans, records, spansPerRecord, partitions, batchRows, heap, overrides);
        long now = System.currentTimeMillis() * 1_000_000L;
        List<ExportTraceServiceRequest> requests = new ArrayList<>();
        for (int r = 0; r < records; r++) {
            requests.add(SpanRequests.request(r, spansPerRecord, now));
        }
        try (ClickHouseHttpFixture clickhouse = OtelClickHouse.withSchema();
             RealKafka.Broker broker = RealKafka.start()) {
            clickhouse.count(INSERT);
            System.out.println("ClickHouse: " + clickhouse.engineDescription());
            System.out.println();
            System.out.println("| | spans/s | rows per insert | max heap used |");
            System.out.println("|---|---:|---:|---:|");
            double plain = plainJdbc(clickhouse, requests);
            System.out.printf("| plain clickhouse-jdbc batch insert (%d-row batches) | %.0f | %d | n/a |%n", batchRows, plain, batchRows);
            Result consumer = consumer(broker.kafka(), clickhouse, requests, spans);
            System.out.printf("| otel-consumer from Kafka (-Xmx%s) | %.0f | %.0f | %.0f MB |%n", heap, consumer.spansPerSecond(),
                    consumer.rowsPerInsert(), consumer.maxHeapMb());
            System.out.printf("%notel-consumer reaches %.1f %% of the plain batch insert's spans/s%n",
                    100 * consumer.spansPerSecond() / plain);
        }
    }

    private record Result(double spansPerSecond, double rowsPerInsert, double maxHeapMb) {
    }

    private double plainJdbc(ClickHouseHttpFixture clickhouse, List<ExportTraceServiceRequest> requests) throws Exception {
        List<SpanRow> rows = new ArrayList<>();
        requests.forEach(request -> rows.addAll(SpanRows.of(request)));
        clickhouse.query("CREATE TABLE otel.plain_traces AS otel.otel_traces");
        SpanTable table = new SpanTable("otel");
        long start = System.nanoTime();
        try (Connection connection = OtelClickHouse.connect(clickhouse)) {
            for (int from = 0; from < rows.size(); from += batchRows) {
                table.insert(connection, rows.subList(from, Math.min(rows.size(), from + batchRows)), "plain-" + from);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        // Inserted into otel_traces itself; move them aside so the consumer's run starts from an empty table.
        clickhouse.query("INSERT INTO otel.plain_traces SELECT * FROM otel.otel_traces");
        clickhouse.query("TRUNCATE TABLE otel.otel_traces");
        clickhouse.query("TRUNCATE TABLE otel.otel_traces_trace_id_ts");
        return rows.size() / seconds;
    }

    private Result consumer(TestKafka kafka, ClickHouseHttpFixture clickhouse, List<ExportTraceServiceRequest> requests,
                            int spans) throws Exception {
        String topic = kafka.newTopic("otlp_spans", partitions);
        for (int r = 0; r < requests.size(); r++) {
            kafka.send(topic, String.valueOf(r).getBytes(), requests.get(r).toByteArray());
        }
        kafka.flush();
        int insertsBefore = clickhouse.statementsStartingWith(INSERT);
        ConsumerAdmin admin = new ConsumerAdmin();
        Map<String, String> env = new HashMap<>(Map.of(
                "CLICKHOUSE_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "CLICKHOUSE_KAFKA_APPLICATION_ID", "otel-bench-" + topic,
                "CLICKHOUSE_KAFKA_STATE_DIR", Files.createTempDirectory("streams").toString(),
                "CLICKHOUSE_SPANS_TOPIC", topic,
                "CLICKHOUSE_METRICS_TOPIC", "",
                "CLICKHOUSE_URL", clickhouse.jdbcUrl(),
                "CLICKHOUSE_BATCH_ROWS", String.valueOf(batchRows),
                "CLICKHOUSE_ADMIN_PORT", String.valueOf(admin.port())));
        env.putAll(overrides);
        try (ConsumerProcess process = ConsumerProcess.start(OtelConsumer.class, env, heap)) {
            long first = 0;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            long stored;
            while ((stored = count(clickhouse)) < spans) {
                if (first == 0 && stored > 0) {
                    first = System.nanoTime();
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(stored + " of " + spans + " spans in 10 minutes");
                }
                admin.sampleHeap();
                Thread.sleep(50);
            }
            double seconds = (System.nanoTime() - first) / 1e9;
            process.stop();
            int inserts = clickhouse.statementsStartingWith(INSERT) - insertsBefore;
            return new Result(spans / seconds, (double) spans / inserts, admin.maxHeapMb());
        }
    }

    private static long count(ClickHouseHttpFixture clickhouse) {
        return Long.parseLong(clickhouse.query("SELECT count() FROM otel.otel_traces"));
    }
}
