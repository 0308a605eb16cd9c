package dev.lineagehub.testing;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * Gives a test a real Kafka broker: a Testcontainers Kafka container when Docker is available,
 * otherwise a single-node KRaft cluster inside the test JVM from Kafka's own test kit. One broker
 * serves every test of the JVM (tests isolate themselves with unique topic names); it is stopped
 * when the JVM's test run ends.
 *
 * <pre>{@code @ExtendWith(RealKafka.class)
 * class MyIT { @Test void test(TestKafka kafka) { ... } } }</pre>
 *
 * Set {@code LINEAGEHUB_TEST_KAFKA=embedded} to use the in-JVM broker even where Docker runs.
 */
public final class RealKafka implements ParameterResolver {

    private static final Logger LOG = LoggerFactory.getLogger(RealKafka.class);
    private static final String IMAGE = System.getenv().getOrDefault("LINEAGEHUB_TEST_KAFKA_IMAGE", "apache/kafka:4.1.0");

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestKafka.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.create(RealKafka.class))
                .getOrComputeIfAbsent(Broker.class, key -> start(), Broker.class).kafka();
    }

    /** Starts a broker outside JUnit, e.g. for a benchmark; closing the result stops it. */
    public static Broker start() {
        boolean embedded = "embedded".equals(System.getenv("LINEAGEHUB_TEST_KAFKA"));
        if (!embedded && DockerClientFactory.instance().isDockerAvailable()) {
            KafkaContainer container = new KafkaContainer(IMAGE);
            container.start();
            LOG.info("Kafka container {} at {}", IMAGE, container.getBootstrapServers());
            return new Broker(new TestKafka(container.getBootstrapServers()), container::stop);
        }
        return startEmbedded();
    }

    /** A single-node KRaft broker inside this JVM, from Kafka's own test kit, Docker or not. */
    public static Broker startEmbedded() {
        try {
            KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                    .build())
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("share.coordinator.state.topic.replication.factor", "1")
                    .setConfigProp("share.coordinator.state.topic.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("auto.create.topics.enable", "false")
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            LOG.info("In-JVM KRaft broker at {}", cluster.bootstrapServers());
            return new Broker(new TestKafka(cluster.bootstrapServers()), cluster::close);
        } catch (Exception e) {
            throw new IllegalStateException("could not start a Kafka broker", e);
        }
    }

    public record Broker(TestKafka kafka, AutoCloseable stop) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() throws Exception {
            kafka.close();
            stop.close();
        }
    }
}
