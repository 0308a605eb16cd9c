package dev.lineagehub.bench;

import dev.lineagehub.openlineage.OpenLineageEvent;
import dev.lineagehub.testing.SampleEvents;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.util.List;
import java.util.UUID;

/**
 * The parse + validate path every consumer runs on every record, on one thread, over a corpus of
 * Airflow-, Spark- and dbt-shaped events; reports MB/s of event JSON.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@Fork(value = 1, jvmArgs = "-Xmx256m")
@Threads(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ParseBenchmark {

    private byte[][] corpus;

    @Setup
    public void buildCorpus() {
        corpus = corpus();
    }

    /** One operation parses and validates the whole corpus. */
    @Benchmark
    public void parseCorpus(Blackhole sink) {
        for (byte[] event : corpus) {
            sink.consume(OpenLineageEvent.parse(event));
        }
    }

    private static byte[][] corpus() {
        List<UUID> runs = java.util.stream.Stream.generate(UUID::randomUUID).limit(300).toList();
        return SampleEvents.interleaved(runs).stream().map(SampleEvents::json).toArray(byte[][]::new);
    }

    public static void main(String[] args) throws Exception {
        byte[][] sample = corpus();
        long bytes = 0;
        for (byte[] event : sample) {
            bytes += event.length;
        }
        int count = sample.length;
        for (RunResult result : new Runner(new OptionsBuilder().include(ParseBenchmark.class.getName()).build()).run()) {
            double corpusPerSecond = result.getPrimaryResult().getScore();
            System.out.printf("%nparse + validate on one thread: %.0f events/s, %.1f MB/s (corpus %d events, %d bytes average)%n",
                    corpusPerSecond * count, corpusPerSecond * bytes / 1e6, count, bytes / count);
        }
        System.exit(0);
    }
}
