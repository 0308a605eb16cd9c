package dev.lineagehub.local;

import dev.lineagehub.runtime.ConsumerRuntime;
import dev.lineagehub.testing.TestKafka;

import io.micrometer.core.instrument.Counter;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** What one consumer of the local run has done: delivered, dead-lettered, lag, and where its output is. */
final class SinkReport {

    /** Where a sink's output is, and a short account of what is there now. */
    record Output(String location, Supplier<String> contents) {
    }

    private final String name;
    private final ConsumerRuntime consumer;
    private final TestKafka kafka;
    private final List<String> topics;
    private final Output output;

    SinkReport(String name, ConsumerRuntime consumer, TestKafka kafka, List<String> topics, Output output) {
        this.name = name;
        this.consumer = consumer;
        this.kafka = kafka;
        this.topics = topics;
        this.output = output;
    }

    long delivered() {
        return count("delivered");
    }

    long deadLettered() {
        return count("dead_lettered");
    }

    /** Records of the input topics not yet committed by the consumer's group. */
    long lag() {
        return topics.stream().mapToLong(topic -> kafka.lag(consumer.applicationId(), topic)).sum();
    }

    String progressLine() {
        return String.format("%-17s delivered %7d   dead-lettered %3d   lag %5d   state %s",
                name, delivered(), deadLettered(), lag(), consumer.state());
    }

    /** Waits until every consumer has committed all it read, at most {@code seconds}. */
    static void awaitDrained(List<SinkReport> reports, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline && reports.stream().anyMatch(report -> report.lag() > 0)) {
            Thread.sleep(500);
        }
    }

    /** The counts for the summary, taken while the consumer and the broker still run. */
    String countsLine() {
        return String.format("%-17s delivered %d, dead-lettered %d, lag %d", name, delivered(), deadLettered(), lag());
    }

    /** One entry per consumer: its {@link #countsLine()}, then where its output is and what is in it now. */
    static String summary(List<SinkReport> reports, List<String> counts) {
        StringBuilder text = new StringBuilder("Summary\n");
        for (int i = 0; i < reports.size(); i++) {
            Output output = reports.get(i).output;
            text.append("  ").append(counts.get(i)).append('\n')
                    .append("  ").append(" ".repeat(17)).append(" output: ").append(output.location())
                    .append(" (").append(output.contents().get()).append(")\n");
        }
        return text.toString();
    }

    private long count(String suffix) {
        return (long) consumer.registry().find(consumer.metrics().name(suffix)).counters().stream()
                .mapToDouble(Counter::count).sum();
    }
}
