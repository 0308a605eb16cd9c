package dev.lineagehub.ingest;

import dev.lineagehub.ingest.audit.AuditLog;
import dev.lineagehub.ingest.auth.Access;
import dev.lineagehub.ingest.config.IngestSettings;
import dev.lineagehub.ingest.health.DependencyHealth;
import dev.lineagehub.ingest.http.IngestMetrics;
import dev.lineagehub.ingest.http.IngestServer;
import dev.lineagehub.ingest.namespaces.NamespaceStore;
import dev.lineagehub.ingest.publish.KafkaPublisher;
import dev.lineagehub.ingest.publish.RecordLimit;
import dev.lineagehub.ingest.quota.Quotas;

import dev.lineagehub.runtime.RecordSizes;
import dev.lineagehub.runtime.TopicSetup;
import dev.lineagehub.runtime.Version;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * ingest-api: the hub's HTTP front door. OpenLineage events (Marquez's API) and OTLP/HTTP exports in,
 * Kafka records out, on the topics the consumers and the Collector's Kafka exporter use. Stateless but
 * for the namespaces, which live in a compacted topic: run as many replicas as needed.
 */
public final class IngestApi implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IngestApi.class);

    private final List<AutoCloseable> closeInReverse = new ArrayList<>();
    private final IngestServer server;
    private final IngestSettings settings;

    private IngestApi(IngestSettings configured) throws Exception {
        IngestSettings settings = configured;
        try {
            RecordLimit limit;
            // One admin client for what start-up asks the cluster: the topics it owns, then their limits.
            try (Admin admin = Admin.create(adminSettings(settings))) {
                ensureTopics(admin, settings);
                limit = readLimit(admin, settings);
            }
            settings = configured.withMaxBodyBytes(bodyLimit(configured, limit));
            LOG.info("Requests up to {} bytes ({}), each event or OTLP export up to {} bytes as a Kafka record ({})",
                    settings.maxBodyBytes(), configured.maxBodyBytes() == 0 ? "derived" : IngestSettings.MAX_BODY_BYTES,
                    limit.largestValue(0), limit.source());
            KafkaPublisher publisher = own(new KafkaPublisher(settings.bootstrapServers(), settings.kafkaProperties(),
                    settings.publishTimeout(), limit));
            NamespaceStore namespaces = own(new NamespaceStore(settings.bootstrapServers(), settings.kafkaProperties(),
                    settings.topics().namespaces(), publisher));
            AuditLog audit = own(new AuditLog(publisher, settings.topics().audit())); // closed before the publisher it writes to
            DependencyHealth health = own(new DependencyHealth(settings.bootstrapServers(), settings.kafkaProperties(), settings.dependencies()));
            IngestMetrics metrics = new IngestMetrics();
            metrics.bind(publisher.metrics());
            IngestServer.Parts parts = new IngestServer.Parts(new Access(settings.auth(), namespaces),
                    namespaces, new Quotas(settings.defaultQuota(), System::nanoTime), publisher,
                    audit, health, metrics);
            this.server = own(new IngestServer(settings, parts));
            this.settings = settings;
        } catch (Exception | Error e) {
            close();
            throw e;
        }
        if (settings.auth().required() && settings.auth().adminKey() == null) {
            LOG.warn("{} is not set: namespaces cannot be managed, so only keys created before can write", IngestSettings.ADMIN_KEY);
        }
        LOG.info("ingest-api {} listening on port {} ({}), publishing to {}", Version.current(), server.port(),
                settings.tls().isPresent() ? "HTTPS" : "HTTP", settings.topics());
    }

    /** What the producer and the topics events and exports go to take, read from the broker. */
    private static RecordLimit readLimit(Admin admin, IngestSettings settings) {
        Map<String, Object> producer = KafkaPublisher.settings(settings.bootstrapServers(), settings.kafkaProperties(), settings.publishTimeout());
        long buffer = Long.parseLong(String.valueOf(producer.getOrDefault(ProducerConfig.BUFFER_MEMORY_CONFIG, 32L << 20)).strip());
        int maxRequest = RecordSizes.maxRequestSize(producer);
        if (maxRequest > buffer) {
            throw new ConfigException("LINEAGEHUB_INGEST_KAFKA_MAX_REQUEST_SIZE (" + maxRequest + ") is above LINEAGEHUB_INGEST_KAFKA_BUFFER_MEMORY (" + buffer
                    + "): the producer refuses any record larger than its buffer");
        }
        IngestSettings.Topics topics = settings.topics();
        return RecordLimit.read(admin, producer, List.of(topics.lineage(), topics.spans(), topics.metrics(), topics.logs()));
    }

    /**
     * The body limit: derived as the largest record the API can write, since an OTLP export is
     * published whole as one record; set above that it could admit bodies that could never be stored.
     */
    static int bodyLimit(IngestSettings settings, RecordLimit limit) {
        int largest = limit.largestValue(0);
        if (settings.maxBodyBytes() == 0) {
            return largest;
        }
        if (settings.maxBodyBytes() > largest) {
            throw new ConfigException(IngestSettings.MAX_BODY_BYTES + " (" + settings.maxBodyBytes() + ") is above the largest Kafka "
                    + "record this API can write, " + largest + " bytes (" + limit.source() + "): a request that large could be "
                    + "admitted but never stored. Lower it (0 derives it), or raise LINEAGEHUB_INGEST_KAFKA_MAX_REQUEST_SIZE and the topics' "
                    + "max.message.bytes together");
        }
        return settings.maxBodyBytes();
    }

    private static Map<String, Object> adminSettings(IngestSettings settings) {
        Map<String, Object> admin = new java.util.HashMap<>(settings.kafkaProperties());
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        return admin;
    }

    /** The namespaces topic compacted, one partition (it is small, and read whole by every replica); the audit topic as the broker defaults. */
    private static void ensureTopics(Admin admin, IngestSettings settings) {
        List<NewTopic> topics = new ArrayList<>();
        topics.add(new NewTopic(settings.topics().namespaces(), Optional.of(1), Optional.empty())
                .configs(Map.of("cleanup.policy", "compact")));
        if (!settings.topics().audit().isEmpty()) {
            topics.add(new NewTopic(settings.topics().audit(), Optional.empty(), Optional.empty()));
        }
        TopicSetup.ensure(admin, topics);
    }

    /** @throws ConfigException naming the variable when a setting is wrong */
    public static IngestApi start(Map<String, String> env) throws Exception {
        return new IngestApi(IngestSettings.from(env));
    }

    public int port() {
        return server.port();
    }

    private <T extends AutoCloseable> T own(T part) {
        closeInReverse.add(part);
        return part;
    }

    /**
     * What SIGTERM does: ready answers 503 at once while requests are still served for the grace
     * period, then no new connection is taken and those in progress finish within the shutdown
     * timeout; then everything closes, the producer delivering what it holds. Every request is
     * answered or its connection refused before its first byte.
     */
    public void drainAndClose() {
        IngestSettings.Shutdown shutdown = settings.shutdown();
        server.drain();
        LOG.info("Stopping: health answers 503; serving {} ms more, then {} ms for the requests in progress",
                shutdown.grace().toMillis(), shutdown.timeout().toMillis());
        try {
            Thread.sleep(shutdown.grace().toMillis());
            int open = server.stop(shutdown.timeout());
            LOG.info("No longer taking connections; {} were open", open);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("The HTTP server did not stop in time: {}", e.toString());
        }
        close();
        LOG.info("Stopped");
    }

    /** Stops taking requests first, then lets the producer deliver what it holds. */
    @Override
    public void close() {
        List<AutoCloseable> parts = new ArrayList<>(closeInReverse);
        Collections.reverse(parts);
        for (AutoCloseable part : parts) {
            try {
                part.close();
            } catch (Exception e) {
                LOG.warn("Closing {} failed: {}", part.getClass().getSimpleName(), e.toString());
            }
        }
        closeInReverse.clear();
    }

    public static void main(String[] args) {
        if (Version.printed("ingest-api", args)) {
            return;
        }
        IngestApi api;
        try {
            api = start(System.getenv());
        } catch (ConfigException e) {
            LOG.error("Invalid configuration: {}", e.getMessage());
            System.exit(2);
            return;
        } catch (Exception e) {
            LOG.error("ingest-api could not start", e);
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(api::drainAndClose, "ingest-shutdown"));
    }
}
