package dev.lineagehub.local;

import dev.lineagehub.sdk.Dataset;
import dev.lineagehub.sdk.LineageEmitter;
import dev.lineagehub.sdk.LineageHub;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/** The README's example worker ({@code ./lineage-hub worker}); a test keeps the two the same. */
public final class ExampleWorker {

    public static void main(String[] args) throws Exception {
        // LINEAGE_SDK_TRANSPORT=kafka|http|datahub and its settings; see the README.
        try (LineageHub hub = LineageHub.fromEnv(System.getenv())) {
            // The worker contract: a fan-out run reading one file and writing two chunks.
            LineageEmitter emitter = hub.emitter("orders_ingest", "split");
            emitter.addInput(Dataset.of("s3://landing", "orders/2026-12-01.csv"));
            emitter.startRun();
            emitter.addOutput(Dataset.of("s3://staging", "orders/chunk-1.parquet"));
            emitter.addOutput(Dataset.of("s3://staging", "orders/chunk-2.parquet"));
            emitter.completeRun();

            // A job context: START now, COMPLETE when the work returns, FAIL with the stack trace if it throws.
            hub.run("daily_sales_etl", Map.of("source", "s3"), job -> {
                job.addInput(Dataset.of("s3://staging", "orders/chunk-1.parquet"));
                job.registerSnapshot("sales_curated", URI.create("s3://lake/sales_curated/2026-12-01.parquet"), "parquet",
                        Map.of("order_id", "BIGINT", "amount", "DECIMAL(12,2)"));
                job.logEvent("metrics", Map.of("rows", 1200));
                return null;
            });
            hub.flush(Duration.ofSeconds(30));
            System.out.printf("sent %d events, dropped %d%n", hub.sent(), hub.dropped());
        }
    }
}
