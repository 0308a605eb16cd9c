package dev.lineagehub.bench;

import dev.lineagehub.local.traffic.SpanRequests;
import dev.lineagehub.otlp.Encoding;
import dev.lineagehub.otlp.OtlpDecoder;
import dev.lineagehub.otel.decode.SpanRows;

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

/** otel-consumer's decode + row building on one thread: OTLP protobuf export requests of 50 spans to otel_traces rows. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@Fork(value = 1, jvmArgs = "-Xmx512m")
@Threads(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SpanDecodeBenchmark {

    private byte[] request;

    @Setup
    public void build() {
        request = SpanRequests.request(42, 50, System.currentTimeMillis() * 1_000_000L).toByteArray();
    }

    /** One operation decodes one request of 50 spans. */
    @Benchmark
    public void decodeAndBuildRows(Blackhole sink) {
        sink.consume(SpanRows.of(OtlpDecoder.traces(request, Encoding.OTLP_PROTO)));
    }

    public static void main(String[] args) throws Exception {
        for (RunResult result : new Runner(new OptionsBuilder().include(SpanDecodeBenchmark.class.getName()).build()).run()) {
            System.out.printf("%ndecode + row building on one thread: %.0f spans/s (requests of 50 spans, %d bytes each)%n",
                    result.getPrimaryResult().getScore() * 50, SpanRequests.request(42, 50, 0).getSerializedSize());
        }
        System.exit(0);
    }
}
