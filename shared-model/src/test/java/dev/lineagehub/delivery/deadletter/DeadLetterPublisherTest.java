package dev.lineagehub.delivery.deadletter;

import dev.lineagehub.delivery.PermanentDeliveryException;
import dev.lineagehub.delivery.RetryPolicy;
import dev.lineagehub.delivery.SourceRecord;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lineagehub.runtime.ConsumerMetrics;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

class DeadLetterPublisherTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final MockProducer<byte[], byte[]> producer = new MockProducer<>(false, null, new ByteArraySerializer(),
            new ByteArraySerializer());
    private final DeadLetterPublisher publisher = new DeadLetterPublisher(producer, "{topic}-dlq", "test",
            new ConsumerMetrics(registry, "test"), timer, new RetryPolicy(Duration.ofMillis(5), Duration.ofMillis(20), 5), 1_048_576);

    @AfterEach
    void close() {
        timer.shutdownNow();
    }

    private static SourceRecord record(int valueBytes) {
        byte[] value = new byte[valueBytes];
        Arrays.fill(value, (byte) 'x');
        return new SourceRecord("events", 2, 77, 0L, new RecordHeaders(), "key".getBytes(StandardCharsets.UTF_8), value,
                new TaskId(0, 2), "deliver");
    }

    @Test
    void aDeadLetterTheTopicRefusesAsTooLargeIsWrittenTruncated() throws Exception {
        CompletableFuture<Boolean> written = publisher.publish(record(500_000),
                new PermanentDeliveryException("refused", "HTTP 400"), 1, () -> false);
        awaitSends(1);
        producer.errorNext(new RecordTooLargeException("MESSAGE_TOO_LARGE"));
        awaitSends(2);
        assertThat(counted("RECORD_TOO_LARGE")).as("not before the acknowledgement").isZero();
        producer.completeNext();
        assertThat(written.get(5, TimeUnit.SECONDS)).isTrue();
        ProducerRecord<byte[], byte[]> truncated = producer.history().get(1);
        assertThat(truncated.value()).hasSize(DeadLetters.EXCERPT_BYTES);
        assertThat(header(truncated, DeadLetters.HEADER_REASON)).isEqualTo(DeadLetters.RECORD_TOO_LARGE);
        assertThat(header(truncated, DeadLetters.HEADER_ORIGINAL_REASON)).isEqualTo("SINK_REJECTED");
        assertThat(header(truncated, DeadLetters.HEADER_ORIGINAL_SIZE)).isEqualTo("500003");
        assertThat(header(truncated, "__streams.errors.offset")).isEqualTo("77");
        assertThat(header(truncated, "__streams.errors.partition")).isEqualTo("2");
        assertThat(counted("RECORD_TOO_LARGE")).isEqualTo(1);
    }

    @Test
    void aDeadLetterLargerThanTheProducerTakesIsTruncatedBeforeSending() throws Exception {
        CompletableFuture<Boolean> written = publisher.publish(record(3_000_000), new IllegalStateException("undecodable"), 0,
                () -> false);
        awaitSends(1);
        producer.completeNext();
        assertThat(written.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(header(producer.history().get(0), DeadLetters.HEADER_REASON)).isEqualTo(DeadLetters.RECORD_TOO_LARGE);
    }

    @Test
    void otherFailuresAreRetriedUntilWrittenOrAbandoned() throws Exception {
        CompletableFuture<Boolean> written = publisher.publish(record(10), new PermanentDeliveryException("refused", "HTTP 400"), 1,
                () -> false);
        awaitSends(1);
        producer.errorNext(new TimeoutException("broker down"));
        awaitSends(2);
        producer.errorNext(new TimeoutException("broker down"));
        awaitSends(3);
        producer.completeNext();
        assertThat(written.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(counted("SINK_REJECTED")).isEqualTo(1);

        CompletableFuture<Boolean> abandoned = publisher.publish(record(10), new PermanentDeliveryException("refused", "HTTP 400"), 1,
                () -> true);
        assertThat(abandoned.get(5, TimeUnit.SECONDS)).as("its partition closed: left to the next owner").isFalse();
    }

    private void awaitSends(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (producer.history().size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + count + " sends, saw " + producer.history().size());
            }
            Thread.sleep(5);
        }
    }

    private double counted(String reason) {
        var counter = registry.find("lineagehub.dead_lettered").tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
