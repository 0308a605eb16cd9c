package dev.lineagehub.delivery.offsets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lineagehub.testing.Await;
import dev.lineagehub.testing.RealKafka;
import dev.lineagehub.testing.TestKafka;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Every way Kafka Streams (or anyone) can commit through the consumer stops at the first unresolved record. */
@ExtendWith(RealKafka.class)
class ResolvedOffsetConsumerTest {

    @Test
    void everyCommitIsClampedAndResolvedOffsetsCatchUpOnTheirOwn(TestKafka kafka) throws Exception {
        String topic = kafka.newTopic("clamped", 1);
        TopicPartition partition = new TopicPartition(topic, 0);
        for (int i = 0; i < 10; i++) {
            kafka.send(topic, null, ("record " + i).getBytes(StandardCharsets.UTF_8));
        }
        kafka.flush();
        ResolvedOffsets offsets = new ResolvedOffsets(Duration.ZERO);
        OffsetTracker tracker = offsets.open(partition);
        try (Consumer<byte[], byte[]> consumer = offsets.clientSupplier().getConsumer(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "clamped-" + topic,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false))) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            int read = 0;
            while (read < 10) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    tracker.registered(record.offset());
                    read++;
                }
            }
            for (long offset = 0; offset < 4; offset++) {
                tracker.resolved(offset);
            }

            consumer.commitSync();
            assertThat(committed(consumer, partition)).as("commitSync()").isEqualTo(4);
            consumer.commitSync(Map.of(partition, new OffsetAndMetadata(10)));
            assertThat(committed(consumer, partition)).as("commitSync(offsets)").isEqualTo(4);
            tracker.resolved(4);
            CompletableFuture<Exception> done = new CompletableFuture<>();
            consumer.commitAsync((committed, error) -> done.complete(error));
            while (!done.isDone()) {
                consumer.poll(Duration.ofMillis(50));
            }
            assertThat(done.get(1, TimeUnit.SECONDS)).isNull();
            assertThat(committed(consumer, partition)).as("commitAsync()").isEqualTo(5);

            for (long offset = 5; offset < 10; offset++) {
                tracker.resolved(offset);
            }
            Await.until(Duration.ofSeconds(10), () -> {
                consumer.poll(Duration.ofMillis(50));
                return committed(consumer, partition) == 10;
            }, () -> "resolved offsets committed by the consumer's own catch-up");
        }
    }

    private static long committed(Consumer<byte[], byte[]> consumer, TopicPartition partition) {
        OffsetAndMetadata offset = consumer.committed(Set.of(partition)).get(partition);
        return offset == null ? -1 : offset.offset();
    }
}
