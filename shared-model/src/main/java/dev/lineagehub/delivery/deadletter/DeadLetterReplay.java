package dev.lineagehub.delivery.deadletter;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Re-publishes dead letters to the topic they came from, once what made them fail is fixed (a Marquez
 * that rejected a facet, a GMS schema mismatch, a ClickHouse column). Dry run unless told to apply.
 *
 * <p>It reads the dead-letter topic from the beginning up to its end at start-up, without a consumer
 * group, so it never moves anyone's offsets and can be run again. A replayed record carries its
 * original key, value and headers (the error headers dropped) plus {@link #HEADER_REPLAYED_FROM}; if
 * it fails again it is dead-lettered again. Kafka connection settings come from {@code LINEAGEHUB_REPLAY_KAFKA_*}
 * variables, as for the consumers (e.g. {@code LINEAGEHUB_REPLAY_KAFKA_SECURITY_PROTOCOL=SASL_SSL}).
 */
final class DeadLetterReplay {

    public static final String HEADER_REPLAYED_FROM = "__lineagehub.replayed.from";
    private static final String ORIGINAL_TOPIC = "__streams.errors.topic";

    /** What to replay: from a dead-letter topic, optionally to another topic and only one reason. */
    public record Options(String deadLetterTopic, Optional<String> toTopic, Optional<String> reason, boolean apply) {
    }

    /** Counts of one replay. */
    public record Result(int scanned, int matched, int published) {
    }

    private final Map<String, Object> kafka;

    DeadLetterReplay(Map<String, ?> kafkaProperties) {
        this.kafka = new HashMap<>(kafkaProperties);
    }

    /** Replays (or, in a dry run, lists) the matching dead letters; {@code report} gets one line per match. */
    public Result replay(Options options, Consumer<String> report) {
        int scanned = 0;
        int matched = 0;
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(); KafkaProducer<byte[], byte[]> producer = producer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(options.deadLetterTopic(), Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<byte[], byte[]> dead : consumer.poll(Duration.ofMillis(500))) {
                    if (dead.offset() >= end.get(new TopicPartition(dead.topic(), dead.partition()))) {
                        continue;
                    }
                    scanned++;
                    String reason = header(dead.headers(), DeadLetters.HEADER_REASON).orElse("");
                    if (options.reason().isPresent() && !options.reason().get().equals(reason)) {
                        continue;
                    }
                    matched++;
                    Optional<String> target = options.toTopic().or(() -> header(dead.headers(), ORIGINAL_TOPIC));
                    String where = dead.topic() + "-" + dead.partition() + "@" + dead.offset();
                    if (target.isEmpty()) {
                        report.accept("skip " + where + ": no " + ORIGINAL_TOPIC + " header and no --to");
                        continue;
                    }
                    report.accept((options.apply() ? "replay " : "would replay ") + where + " (" + reason + ") -> " + target.get());
                    if (options.apply()) {
                        sends.add(producer.send(new ProducerRecord<>(target.get(), null, dead.key(), dead.value(),
                                originalHeaders(dead, where))));
                    }
                }
            }
            producer.flush();
            for (Future<RecordMetadata> send : sends) {
                send.get(); // a record that was not written fails the replay, rather than being counted
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("replay interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not re-publish a dead letter: " + e.getCause(), e.getCause());
        }
        return new Result(scanned, matched, sends.size());
    }

    /** The record's headers as they were before it failed, plus where it was replayed from. */
    private static Headers originalHeaders(ConsumerRecord<byte[], byte[]> dead, String where) {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : dead.headers()) {
            if (!header.key().startsWith("__streams.errors.") && !header.key().startsWith("__lineagehub.errors.")) {
                headers.add(header);
            }
        }
        headers.add(HEADER_REPLAYED_FROM, where.getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    private static Optional<String> header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null ? Optional.empty() : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Map<String, Object> config = new HashMap<>(kafka);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private KafkaProducer<byte[], byte[]> producer() {
        Map<String, Object> config = new HashMap<>(kafka);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
