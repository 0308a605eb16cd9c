package dev.lineagehub.sdk.client;

import dev.lineagehub.protocol.TransportKey;


import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineageClientUtils;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes run events to the hub's topic ({@code openlineage-events}) as the OpenLineage Kafka
 * transport does — JSON values keyed by {@link TransportKey} — but waits for the broker's
 * acknowledgement, so a failure is known and retried instead of logged and lost.
 */
public final class KafkaTransport implements Transport {

    private final Producer<String, String> producer;
    private final String topic;
    private final Duration timeout;

    /**
     * Where and how the Kafka transport publishes.
     *
     * @param bootstrapServers the cluster's bootstrap servers; required
     * @param topic            the hub's input topic, {@value #DEFAULT_TOPIC} by default
     * @param timeout          one attempt's bound: metadata, send and acknowledgement ({@link Transport#DEFAULT_TIMEOUT})
     * @param producerSettings any other KafkaProducer settings (security, compression...), applied last; none by default
     */
    public record Config(String bootstrapServers, String topic, Duration timeout, Map<String, String> producerSettings) {

        public static final String DEFAULT_TOPIC = "openlineage-events";

        public Config {
            if (bootstrapServers == null || bootstrapServers.isBlank()) {
                throw new IllegalArgumentException("the Kafka transport needs bootstrap servers");
            }
            if (topic == null || topic.isBlank()) {
                throw new IllegalArgumentException("the Kafka transport needs a topic");
            }
            java.util.Objects.requireNonNull(timeout, "timeout");
            producerSettings = Map.copyOf(producerSettings);
        }

        public static Config of(String bootstrapServers) {
            return new Config(bootstrapServers, DEFAULT_TOPIC, DEFAULT_TIMEOUT, Map.of());
        }

        public Config withTopic(String name) {
            return new Config(bootstrapServers, name, timeout, producerSettings);
        }

        public Config withTimeout(Duration bound) {
            return new Config(bootstrapServers, topic, bound, producerSettings);
        }

        public Config withProducerSettings(Map<String, String> settings) {
            return new Config(bootstrapServers, topic, timeout, settings);
        }
    }

    public KafkaTransport(Config config) {
        this(new KafkaProducer<>(producerConfig(config), new StringSerializer(), new StringSerializer()), config.topic(), config.timeout());
    }

    /** For a {@code MockProducer} in tests. */
    KafkaTransport(Producer<String, String> producer, String topic, Duration timeout) {
        this.producer = producer;
        this.topic = topic;
        this.timeout = timeout;
    }

    private static Map<String, Object> producerConfig(Config settings) {
        Duration timeout = settings.timeout();
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        int linger = 5;
        int requestTimeout = (int) Math.max(timeout.toMillis(), 1_000);
        config.put(ProducerConfig.LINGER_MS_CONFIG, linger);
        // One attempt of the dispatcher ends within about its timeout, the wait for metadata included
        // (Kafka requires delivery.timeout >= linger + request.timeout).
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis());
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, requestTimeout);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, requestTimeout + linger);
        config.putAll(settings.producerSettings());
        return config;
    }

    @Override
    public void send(OpenLineage.RunEvent event) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, TransportKey.of(event), OpenLineageClientUtils.toJson(event));
        try {
            producer.send(record).get(Math.max(timeout.toMillis(), 1_000) + 1_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw typed(e.getCause());
        } catch (TimeoutException e) {
            throw new TransientNetworkError("Kafka did not acknowledge within " + timeout, true, null, event.getRun().getRunId(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientNetworkError("interrupted", true, null, event.getRun().getRunId(), e);
        } catch (RuntimeException e) {
            // send() itself throws what it finds before queueing (metadata timeout, serialization).
            throw typed(e);
        }
    }

    private HubException typed(Throwable cause) {
        String message = "Kafka " + topic + ": " + cause;
        if (cause instanceof AuthenticationException || cause instanceof AuthorizationException) {
            return new AuthError(message, cause);
        }
        if (cause instanceof RetriableException || cause instanceof org.apache.kafka.common.errors.TimeoutException) {
            return new TransientNetworkError(message, true, null, null, cause);
        }
        return new RejectedError(message, cause);
    }

    @Override
    public String describe() {
        return "kafka " + topic;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
