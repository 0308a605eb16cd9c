package dev.lineagehub.ingest.publish;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes to Kafka so that an answer of success means the record is stored: an idempotent producer
 * with {@code acks=all}, and a future that completes only on the broker's acknowledgement. A write
 * Kafka cannot take within the publish timeout fails with {@link KafkaUnavailableException}; it may
 * still be stored later (the client, told to retry, then sends it twice: at least once, never lost).
 *
 * <p>{@code send} blocks while the producer has no metadata for the topic (the broker is down) or its
 * buffer is full. So a record goes to Kafka from the caller's thread (an HTTP event loop: one thread
 * hop less per request) only while neither can happen: the topic was written to without error recently
 * enough that the producer still holds its metadata (well within {@code metadata.max.idle.ms}), and
 * the bytes not yet acknowledged stay far below the producer's buffer.
 * Otherwise it is sent from a small pool of its own.
 */
public final class KafkaPublisher implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final RecordLimit limit;
    private final ExecutorService senders;
    private final Duration timeout;
    /** When each topic was last written without error; forgotten on a failure. */
    private final Map<String, Long> writtenAtNanos = new ConcurrentHashMap<>();
    /** How recent that write must be: half the time after which the producer drops an unused topic's metadata. */
    private final long metadataFreshNanos;
    private final AtomicLong pendingBytes = new AtomicLong();
    /** Unacknowledged bytes up to which a send cannot wait for buffer space: a quarter of the producer's buffer. */
    private final long inlinePendingBytes;

    /**
     * How every record is produced unless overridden: stored on all in-sync replicas, once, in batches
     * that wait up to 5 ms (Kafka's default linger). Compressed with snappy: the API's batches are small
     * (a few events per partition per linger), and Kafka's lz4 stream allocates two 64 KB buffers for
     * every batch, a quarter of all the API allocated, while zstd sets up a native context per batch,
     * which tripled the API's CPU per event; snappy's buffers are recycled (docs/benchmarks.md). The
     * ingest benchmark's bare producer uses these same settings.
     */
    public static final Map<String, Object> PRODUCER_DEFAULTS = Map.of(
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
            ProducerConfig.LINGER_MS_CONFIG, 5,
            ProducerConfig.COMPRESSION_TYPE_CONFIG, "snappy");

    public KafkaPublisher(String bootstrapServers, Map<String, String> overrides, Duration timeout, RecordLimit limit) {
        this.timeout = timeout;
        this.limit = limit;
        Map<String, Object> config = settings(bootstrapServers, overrides, timeout);
        this.inlinePendingBytes = Long.parseLong(String.valueOf(config.getOrDefault(ProducerConfig.BUFFER_MEMORY_CONFIG, 32L << 20))) / 4;
        this.metadataFreshNanos = TimeUnit.MILLISECONDS.toNanos(
                Long.parseLong(String.valueOf(config.getOrDefault(ProducerConfig.METADATA_MAX_IDLE_CONFIG, 5 * 60_000L))) / 2);
        this.producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        this.senders = Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "ingest-kafka-send");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The producer's settings: the defaults, the publish timeout's bounds, then the operator's overrides. */
    public static Map<String, Object> settings(String bootstrapServers, Map<String, String> overrides, Duration timeout) {
        Map<String, Object> config = new HashMap<>(PRODUCER_DEFAULTS);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(50, timeout.toMillis() - 5));
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "lineagehub-ingest");
        config.putAll(overrides);
        return config;
    }

    /** The producer's metrics ({@code kafka_producer_*}: record errors, retries, buffer, request latency). */
    public io.micrometer.core.instrument.binder.MeterBinder metrics() {
        return new io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics(producer);
    }

    public RecordLimit limit() {
        return limit;
    }

    /**
     * Completes on Kafka's acknowledgement ({@code value} null for a tombstone); fails with {@link KafkaUnavailableException} after the
     * publish timeout or on any error a retry may get past, with {@link KafkaRefusedException} on one
     * it cannot (checked against {@link #limit()} before sending, so a record too large is never sent).
     */
    public CompletableFuture<RecordMetadata> publish(String topic, byte[] key, byte[] value) {
        CompletableFuture<RecordMetadata> acknowledged = new CompletableFuture<>();
        if (!limit.fits(key, value)) {
            int keyBytes = key == null ? 0 : key.length;
            return CompletableFuture.failedFuture(new KafkaRefusedException(
                    limit.tooLarge("a record", value.length, keyBytes), true, null)); // a null value (a tombstone) always fits
        }
        int size = (value == null ? 0 : value.length) + (key == null ? 0 : key.length);
        Long writtenAt = writtenAtNanos.get(topic);
        if (writtenAt != null && System.nanoTime() - writtenAt < metadataFreshNanos && pendingBytes.get() + size < inlinePendingBytes) {
            // Once send returned, the producer's delivery timeout ends the write: no timer of our own on the hot path.
            send(topic, key, value, size, acknowledged);
            return acknowledged;
        }
        senders.execute(() -> send(topic, key, value, size, acknowledged));
        // Here the time spent waiting to send (for metadata, for buffer space) is bounded as well.
        return acknowledged.orTimeout(2 * timeout.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionallyCompose(error -> CompletableFuture.failedFuture(
                        error instanceof KafkaUnavailableException || error instanceof KafkaRefusedException ? error
                                : new KafkaUnavailableException(error)));
    }

    private void send(String topic, byte[] key, byte[] value, int size, CompletableFuture<RecordMetadata> acknowledged) {
        pendingBytes.addAndGet(size);
        try {
            producer.send(new ProducerRecord<>(topic, key, value), (metadata, error) -> {
                pendingBytes.addAndGet(-size);
                if (error != null) {
                    failed(topic, error, acknowledged);
                } else {
                    writtenAtNanos.put(topic, System.nanoTime());
                    acknowledged.complete(metadata);
                }
            });
        } catch (RuntimeException e) {
            pendingBytes.addAndGet(-size);
            failed(topic, e, acknowledged);
        }
    }

    /** Refused at once or after sending: the topic's next write goes through the pool until one succeeds again. */
    private void failed(String topic, Throwable error, CompletableFuture<RecordMetadata> acknowledged) {
        writtenAtNanos.remove(topic);
        acknowledged.completeExceptionally(classified(topic, error));
    }

    /**
     * Kafka's own classification decides: a refusal by the broker that is not retriable (too large,
     * not authorized, an invalid topic: an {@link ApiException} that is no {@link RetriableException})
     * repeats on every retry; anything else (timeouts, a broker away, a producer closing) may not.
     */
    static RuntimeException classified(String topic, Throwable error) {
        if (error instanceof RecordTooLargeException || error instanceof RecordBatchTooLargeException) {
            return new KafkaRefusedException("Kafka refused the record on " + topic + " as too large: " + error.getMessage(), true, error);
        }
        if (error instanceof ApiException && !(error instanceof RetriableException)) {
            return new KafkaRefusedException("Kafka refuses this API's writes to " + topic + ": " + error, false, error);
        }
        return new KafkaUnavailableException(error);
    }

    @Override
    public void close() {
        senders.shutdown();
        producer.close(timeout);
    }
}
