package dev.lineagehub.bench;

import dev.lineagehub.local.traffic.SpanRequests;
import dev.lineagehub.otel.OtelConsumer;
import dev.lineagehub.otel.decode.SpanRow;
import dev.lineagehub.otel.decode.SpanRows;
import dev.lineagehub.otel.schema.OtelSchema;
import dev.lineagehub.otel.sink.SpanTable;
import dev.lineagehub.testing.clickhouse.ClickHouseHttpFixture;
import dev.lineagehub.otel.testing.OtelClickHouse;
import dev.lineagehub.testing.ConsumerProcess;
import dev.lineagehub.testing.RealKafka;
import dev.lineagehub.testing.TestKafka;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.data.ClickHouseFormat;
import com.clickhouse.jdbc.ConnectionImpl;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * otel-consumer end to end (Kafka → decode → batches → RowBinary over client-v2 → the real engine) next to, in the same
 * run and on the same rows: the engine's own limits (INSERT … SELECT from an in-memory copy; its RowBinary reader on a
 * file), the measuring path alone (pre-encoded RowBinary POSTed through the fixture) and SpanTable without Kafka.
 */
public final class OtelBenchmark {

    private static final String INSERT = "INSERT INTO otel.otel_traces";

    private final int records;
    private final int spansPerRecord;
    private final int partitions;
    private final int batchRows;
    private final String heap;
    private final int warmups;
    private final int rounds;
    private final Map<String, String> overrides;
    private final String jfr;
    private final List<byte[]> batches = new ArrayList<>();
    private Path rowsFile;

    private OtelBenchmark(Options options) {
        this.records = options.integer("records", 4_000);
        this.spansPerRecord = options.integer("spans", 50);
        this.partitions = options.integer("partitions", 4);
        this.batchRows = options.integer("batchRows", 50_000);
        this.heap = options.string("heap", "512m");
        this.warmups = options.integer("warmups", 2);
        this.rounds = options.integer("rounds", 9);
        // A JFR recording of the consumer's JVM (profile settings), for the CPU split per stage in docs/benchmarks.md.
        this.jfr = options.string("jfr", "");
        // LINEAGEHUB_OTEL_* settings for the consumer, e.g. LINEAGEHUB_OTEL_BATCH_MAX_MS=5000.
        this.overrides = options.withPrefix("LINEAGEHUB_OTEL_");
    }

    public static void main(String[] args) throws Exception {
        new OtelBenchmark(new Options(args)).run();
        System.exit(0);
    }

    private void run() throws Exception {
        int spans = records * spansPerRecord;
        System.out.printf("otel-consumer benchmark: %d spans (%d records of %d), %d partitions, batches of %d rows, "
                + "consumer heap %s, %d warm-up and %d measured rounds; consumer settings %s%n",
                spans, records, spansPerRecord, partitions, batchRows, heap, warmups, rounds, overrides);
        long now = System.currentTimeMillis() * 1_000_000L;
        List<ExportTraceServiceRequest> requests = new ArrayList<>();
        for (int r = 0; r < records; r++) {
            requests.add(SpanRequests.request(r, spansPerRecord, now));
        }
        try (ClickHouseHttpFixture clickhouse = OtelClickHouse.withSchema();
             RealKafka.Broker broker = RealKafka.start()) {
            clickhouse.count(INSERT);
            System.out.println("ClickHouse: " + clickhouse.engineDescription());
            TestKafka kafka = broker.kafka();
            String topic = kafka.newTopic("otlp_spans", partitions);
            ConsumerAdmin admin = new ConsumerAdmin();
            stageRowsInEngine(clickhouse, requests);
            try (ConsumerProcess consumer = startConsumer(kafka, topic, clickhouse, admin)) {
                // Both sides measured warm, as they run in production: the first rounds JIT-compile the
                // consumer's JVM and the plain insert's path in this one; their figures are not reported.
                for (int round = 1; round <= warmups; round++) {
                    plainJdbc(clickhouse, requests, "warmup-" + round);
                    consumerRound(kafka, topic, clickhouse, admin, requests);
                }
                measure(kafka, topic, clickhouse, admin, requests);
                consumer.stop();
            }
        }
    }

    /** Rounds alternate the two so that both see the same machine; on 2 shared cores one run is noisy. */
    private void measure(TestKafka kafka, String topic, ClickHouseHttpFixture clickhouse, ConsumerAdmin admin,
                         List<ExportTraceServiceRequest> requests) throws Exception {
        System.out.println();
        System.out.println("| round | | spans/s | rows per insert | max heap used |");
        System.out.println("|---|---|---:|---:|---:|");
        List<Double> ratios = new ArrayList<>();
        List<Double> engineRatios = new ArrayList<>();
        List<Double> fileRatios = new ArrayList<>();
        int spans = records * spansPerRecord;
        for (int round = 1; round <= rounds; round++) {
            double engine = engineInsertSelect(clickhouse, spans);
            double file = engineFromFile(clickhouse, spans);
            double posted = preEncodedThroughFixture(clickhouse, "posted-" + round);
            double plain = plainJdbc(clickhouse, requests, "round-" + round);
            Result consumer = consumerRound(kafka, topic, clickhouse, admin, requests);
            System.out.printf("| %d | engine INSERT … SELECT from an in-memory table (no parsing) | %.0f | %d | n/a |%n", round, engine, spans);
            System.out.printf("| %d | RowBinaryWithNamesAndTypes from a file, the engine's own reader | %.0f | %d | n/a |%n", round, file, spans);
            System.out.printf("| %d | pre-encoded RowBinary POSTed to the fixture by client-v2 | %.0f | %d | n/a |%n", round, posted, batchRows);
            System.out.printf("| %d | SpanTable (decode, encode RowBinary, client-v2), no Kafka | %.0f | %d | n/a |%n", round, plain, batchRows);
            System.out.printf("| %d | otel-consumer from Kafka (-Xmx%s) | %.0f | %.0f | %.0f MB |%n", round, heap,
                    consumer.spansPerSecond(), consumer.rowsPerInsert(), consumer.maxHeapMb());
            ratios.add(consumer.spansPerSecond() / plain);
            engineRatios.add(consumer.spansPerSecond() / engine);
            fileRatios.add(consumer.spansPerSecond() / file);
        }
        System.out.printf("%notel-consumer, share of SpanTable's spans/s without Kafka: %s%n", Rounds.share(ratios));
        System.out.printf("otel-consumer, share of the engine's RowBinary reader from a file: %s%n", Rounds.share(fileRatios));
        System.out.printf("otel-consumer, share of the engine's INSERT … SELECT spans/s: %s%n", Rounds.share(engineRatios));
    }

    private record Result(double spansPerSecond, double rowsPerInsert, double maxHeapMb) {
    }

    /** The same rows through SpanTable on one connection, in batches of batchRows; the table is emptied after. */
    private double plainJdbc(ClickHouseHttpFixture clickhouse, List<ExportTraceServiceRequest> requests, String tokenPrefix)
            throws Exception {
        return plainJdbc(clickhouse, requests, tokenPrefix, null);
    }

    /** @param beforeEmptying a statement run on the inserted rows before the table is emptied, or null */
    private double plainJdbc(ClickHouseHttpFixture clickhouse, List<ExportTraceServiceRequest> requests, String tokenPrefix,
                             String beforeEmptying) throws Exception {
        List<SpanRow> rows = new ArrayList<>();
        requests.forEach(request -> rows.addAll(SpanRows.of(request)));
        SpanTable table = new SpanTable("otel");
        long start = System.nanoTime();
        try (Connection connection = OtelClickHouse.connect(clickhouse)) {
            for (int from = 0; from < rows.size(); from += batchRows) {
                // A token per round: the same rows again with the same token would be deduplicated away.
                table.insert(connection, OtelSchema.TRACES, rows.subList(from, Math.min(rows.size(), from + batchRows)), tokenPrefix + "-" + from);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (beforeEmptying != null) {
            clickhouse.query(beforeEmptying);
        }
        emptyTraces(clickhouse);
        return rows.size() / seconds;
    }

    /**
     * The benchmark's rows, once, in an in-memory table of otel_traces' structure (the engine's side reads them from
     * there), in a RowBinaryWithNamesAndTypes file, and as RowBinary batches of batchRows rows (what a client posts).
     */
    private void stageRowsInEngine(ClickHouseHttpFixture clickhouse, List<ExportTraceServiceRequest> requests) throws Exception {
        clickhouse.query("CREATE TABLE otel.bench_rows AS otel.otel_traces ENGINE = Memory");
        plainJdbc(clickhouse, requests, "stage", "INSERT INTO otel.bench_rows SELECT * FROM otel.otel_traces");
        Path directory = Files.createTempDirectory("otel-bench");
        rowsFile = directory.resolve("rows.bin");
        clickhouse.query("SELECT * FROM otel.bench_rows INTO OUTFILE '" + rowsFile + "' FORMAT RowBinaryWithNamesAndTypes");
        int spans = records * spansPerRecord;
        for (int from = 0; from < spans; from += batchRows) {
            Path batch = directory.resolve("batch-" + from + ".bin");
            clickhouse.query("SELECT * FROM otel.bench_rows ORDER BY SpanId LIMIT " + batchRows + " OFFSET " + from
                    + " INTO OUTFILE '" + batch + "' FORMAT RowBinary");
            batches.add(Files.readAllBytes(batch));
        }
    }

    /** The same rows read by the engine's RowBinary reader from a file, one insert; the table is emptied after. */
    private double engineFromFile(ClickHouseHttpFixture clickhouse, int spans) {
        long start = System.nanoTime();
        clickhouse.query("INSERT INTO otel.otel_traces FROM INFILE '" + rowsFile + "' FORMAT RowBinaryWithNamesAndTypes");
        double seconds = (System.nanoTime() - start) / 1e9;
        emptyTraces(clickhouse);
        return spans / seconds;
    }

    /** The same rows, pre-encoded, POSTed by client-v2 through the fixture in batches: the measuring path alone. */
    private double preEncodedThroughFixture(ClickHouseHttpFixture clickhouse, String tokenPrefix) throws Exception {
        long start = System.nanoTime();
        try (Connection connection = OtelClickHouse.connect(clickhouse)) {
            Client client = connection.unwrap(ConnectionImpl.class).getClient();
            for (int b = 0; b < batches.size(); b++) {
                InsertSettings settings = new InsertSettings().setDeduplicationToken(tokenPrefix + "-" + b).serverSetting("async_insert", "0");
                client.insert("otel.otel_traces", new ByteArrayInputStream(batches.get(b)), ClickHouseFormat.RowBinary, settings)
                        .get(5, TimeUnit.MINUTES).close();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        emptyTraces(clickhouse);
        return records * spansPerRecord / seconds;
    }

    /** The same rows copied inside the engine, into the same table (its trace-id view included); the table is emptied after. */
    private static double engineInsertSelect(ClickHouseHttpFixture clickhouse, int spans) {
        long start = System.nanoTime();
        clickhouse.query("INSERT INTO otel.otel_traces SELECT * FROM otel.bench_rows");
        double seconds = (System.nanoTime() - start) / 1e9;
        emptyTraces(clickhouse);
        return spans / seconds;
    }

    private ConsumerProcess startConsumer(TestKafka kafka, String topic, ClickHouseHttpFixture clickhouse, ConsumerAdmin admin)
            throws Exception {
        Map<String, String> env = new HashMap<>(Map.of(
                "LINEAGEHUB_OTEL_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "LINEAGEHUB_OTEL_KAFKA_APPLICATION_ID", "otel-bench-" + topic,
                "LINEAGEHUB_OTEL_KAFKA_STATE_DIR", Files.createTempDirectory("streams").toString(),
                "LINEAGEHUB_OTEL_SPANS_TOPIC", topic,
                "LINEAGEHUB_OTEL_METRICS_TOPIC", "",
                "LINEAGEHUB_OTEL_LOGS_TOPIC", "",
                "LINEAGEHUB_OTEL_URL", clickhouse.jdbcUrl(),
                "LINEAGEHUB_OTEL_BATCH_ROWS", String.valueOf(batchRows),
                "LINEAGEHUB_OTEL_ADMIN_PORT", String.valueOf(admin.port())));
        env.putAll(overrides);
        if (!jfr.isEmpty()) {
            env.put("JAVA_TOOL_OPTIONS", "-XX:StartFlightRecording=filename=" + jfr + ",settings=profile");
        }
        return ConsumerProcess.start(OtelConsumer.class, env, heap);
    }

    /** One round through the running consumer; spans/s from the first stored row of the round to the last. */
    private Result consumerRound(TestKafka kafka, String topic, ClickHouseHttpFixture clickhouse, ConsumerAdmin admin,
                                 List<ExportTraceServiceRequest> requests) throws Exception {
        int spans = records * spansPerRecord;
        int insertsBefore = clickhouse.statementsStartingWith(INSERT);
        for (int r = 0; r < requests.size(); r++) {
            kafka.send(topic, String.valueOf(r).getBytes(), requests.get(r).toByteArray());
        }
        kafka.flush();
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
        int inserts = clickhouse.statementsStartingWith(INSERT) - insertsBefore;
        emptyTraces(clickhouse);
        return new Result(spans / seconds, (double) spans / inserts, admin.maxHeapMb());
    }

    private static void emptyTraces(ClickHouseHttpFixture clickhouse) {
        clickhouse.query("TRUNCATE TABLE otel.otel_traces");
        clickhouse.query("TRUNCATE TABLE otel.otel_traces_trace_id_ts");
    }

    private static long count(ClickHouseHttpFixture clickhouse) {
        return Long.parseLong(clickhouse.query("SELECT count() FROM otel.otel_traces"));
    }
}
