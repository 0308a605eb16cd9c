package dev.lineagehub.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local run as a user starts it: its own JVM, no Docker, then Ctrl-C (SIGINT). Every consumer must
 * deliver within the three minutes the README promises, and the run must stop in order with status 0.
 */
class LocalRunTest {

    private static final List<String> CONSUMERS = List.of("lineage-consumer", "datahub-consumer", "otel-consumer");
    private static final Pattern PROGRESS = Pattern.compile("(\\S+-consumer)\\s+delivered\\s+(\\d+)");

    @Test
    void everyConsumerDeliversThenCtrlCStopsTheRunCleanly(@TempDir Path dir) throws Exception {
        Path console = dir.resolve("console.txt");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), LocalRun.class.getName(),
                "output=" + dir.resolve("output"), "rate=5")
                .redirectErrorStream(true).redirectOutput(console.toFile());
        // Admin ports picked free, so the test runs beside anything on 8081-8083.
        builder.environment().put("LINEAGEHUB_LINEAGE_ADMIN_PORT", "0");
        builder.environment().put("LINEAGEHUB_DATAHUB_ADMIN_PORT", "0");
        builder.environment().put("LINEAGEHUB_OTEL_ADMIN_PORT", "0");
        builder.environment().put("LINEAGEHUB_INGEST_PORT", "0");
        builder.environment().remove("LINEAGEHUB_LINEAGE_URL");
        builder.environment().remove("LINEAGEHUB_DATAHUB_GMS_URL");
        Process run = builder.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (!allDelivered(Files.readString(console))) {
                assertThat(run.isAlive()).as("local run ended early:%n%s", Files.readString(console)).isTrue();
                assertThat(System.nanoTime()).as("no delivery from every consumer in 3 minutes:%n%s", Files.readString(console))
                        .isLessThan(deadline);
                Thread.sleep(1000);
            }

            new ProcessBuilder("kill", "-INT", String.valueOf(run.pid())).start().waitFor();
            assertThat(run.waitFor(2, TimeUnit.MINUTES)).as("stopped after Ctrl-C").isTrue();
            String output = Files.readString(console);
            assertThat(run.exitValue()).as(output).isZero();

            String summary = output.substring(output.indexOf("Summary"));
            for (String consumer : CONSUMERS) {
                assertThat(summary).containsPattern(consumer + "\\s+delivered [1-9]\\d*, dead-lettered [1-9]\\d*, lag 0");
            }
            assertThat(Files.readAllLines(dir.resolve("output/openlineage.ndjson"))).isNotEmpty();
            assertThat(summary).containsPattern("\\(\\d+ events\\)").containsPattern("\\([1-9]\\d* proposals\\)")
                    .containsPattern("\\([1-9]\\d* spans, [1-9]\\d* metric points, [1-9]\\d* log records, [1-9]\\d* lineage run states\\)");
            // The Spark job's events came through ingest-api (OpenLineage HTTP transport), the SDK's counter over OTLP/HTTP.
            assertThat(summary).containsPattern("Spark events over HTTP in openlineage.ndjson: [1-9]\\d*")
                    .containsPattern("OTel SDK metric points over OTLP/HTTP in ClickHouse: [1-9]\\d*");
        } finally {
            run.destroyForcibly();
        }
    }

    /** True once a progress line showed a delivery for each consumer. */
    private static boolean allDelivered(String console) {
        long seen = CONSUMERS.stream().filter(consumer -> {
            Matcher progress = PROGRESS.matcher(console);
            while (progress.find()) {
                if (progress.group(1).equals(consumer) && Long.parseLong(progress.group(2)) > 0) {
                    return true;
                }
            }
            return false;
        }).count();
        return seen == CONSUMERS.size();
    }
}
