package dev.lineagehub.ingest.namespaces;

import dev.lineagehub.ingest.publish.KafkaPublisher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The namespaces, kept in a compacted Kafka topic keyed by name: every replica reads the whole topic
 * from the start and keeps it in memory, so replicas agree without a database, and a write answers
 * only once this replica has read it back (a client that creates a namespace and then writes with its
 * key, through any replica that has caught up, finds it). Two replicas changing the same namespace at
 * once: the later record in the topic wins on every replica.
 */
public final class NamespaceStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NamespaceStore.class);
    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final String topic;
    private final KafkaPublisher publisher;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, Namespace> byName = new ConcurrentHashMap<>();
    private final Map<String, String> namespaceByKeyId = new ConcurrentHashMap<>();
    /** Offsets read so far, by partition; writers wait on it. Guarded by itself. */
    private final Map<Integer, Long> readUpTo = new HashMap<>();
    private final CompletableFuture<Void> caughtUp = new CompletableFuture<>();
    private final Thread reader;
    private volatile boolean closed;

    public NamespaceStore(String bootstrapServers, Map<String, String> kafkaOverrides, String topic, KafkaPublisher publisher) {
        this.topic = topic;
        this.publisher = publisher;
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.putAll(kafkaOverrides);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.reader = new Thread(this::read, "ingest-namespaces");
        reader.setDaemon(true);
        reader.start();
    }

    /** Whether the topic has been read up to where it ended when this replica started. */
    public boolean ready() {
        return caughtUp.isDone();
    }

    public Optional<Namespace> get(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Collection<Namespace> all() {
        return List.copyOf(byName.values());
    }

    /** The namespace that holds the key with this public id. */
    public Optional<Namespace> byKeyId(String keyId) {
        return Optional.ofNullable(namespaceByKeyId.get(keyId)).map(byName::get);
    }

    /** Publishes the namespace and completes once this replica has read it back. */
    public CompletableFuture<Namespace> put(Namespace namespace) {
        byte[] value;
        try {
            value = JSON.writeValueAsBytes(namespace);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        return publisher.publish(topic, namespace.name().getBytes(StandardCharsets.UTF_8), value)
                .thenCompose(metadata -> readBack(metadata.partition(), metadata.offset()))
                .thenApply(ignored -> namespace);
    }

    /** Publishes the namespace's tombstone and completes once this replica has read it back (and forgotten its keys). */
    public CompletableFuture<Void> delete(String name) {
        return publisher.publish(topic, name.getBytes(StandardCharsets.UTF_8), null)
                .thenCompose(metadata -> readBack(metadata.partition(), metadata.offset()));
    }

    private CompletableFuture<Void> readBack(int partition, long offset) {
        return CompletableFuture.runAsync(() -> {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            synchronized (readUpTo) {
                while (readUpTo.getOrDefault(partition, -1L) < offset) {
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (left <= 0 || closed) {
                        throw new IllegalStateException("namespace record " + partition + "@" + offset + " not read back in 10 s");
                    }
                    try {
                        readUpTo.wait(left);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                }
            }
        });
    }

    private void read() {
        try {
            List<TopicPartition> partitions = partitions();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (!closed) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    apply(record);
                }
                synchronized (readUpTo) {
                    for (TopicPartition partition : partitions) {
                        readUpTo.put(partition.partition(), consumer.position(partition) - 1);
                    }
                    readUpTo.notifyAll();
                }
                if (!caughtUp.isDone() && end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    LOG.info("Namespaces read from {}: {}", topic, byName.size());
                    caughtUp.complete(null);
                }
            }
        } catch (WakeupException e) {
            if (!closed) {
                throw e;
            }
        } catch (RuntimeException e) {
            LOG.error("Reading the namespaces topic {} failed; namespace changes are no longer seen", topic, e);
        } finally {
            consumer.close();
        }
    }

    private List<TopicPartition> partitions() {
        while (!closed) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(info -> new TopicPartition(topic, info.partition())).toList();
            }
        }
        throw new WakeupException();
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        String name = new String(record.key(), StandardCharsets.UTF_8);
        Namespace previous;
        if (record.value() == null) {
            previous = byName.remove(name);
        } else {
            try {
                Namespace namespace = JSON.readValue(record.value(), Namespace.class);
                previous = byName.put(name, namespace);
                namespace.keys().forEach(key -> namespaceByKeyId.put(key.id(), name));
            } catch (IOException e) {
                LOG.warn("Skipping unreadable namespace record {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                        e.getMessage());
                return;
            }
        }
        if (previous != null) {
            Namespace now = byName.get(name);
            previous.keys().stream().filter(key -> now == null || now.keys().stream().noneMatch(k -> k.id().equals(key.id())))
                    .forEach(key -> namespaceByKeyId.remove(key.id()));
        }
    }

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        try {
            reader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
