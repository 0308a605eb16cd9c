package dev.lineagehub.testing;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A single-node KRaft Kafka broker in its own JVM, run from the Kafka jars on the test classpath
 * ({@code kafka.Kafka}), that a fault test can stop ({@code SIGKILL} or {@code SIGTERM}) and start
 * again on the same port with the same data, as an operator restarting a broker would.
 */
public final class BrokerProcess implements AutoCloseable {

    private final Path directory;
    private final Path config;
    private final int port;
    private Process process;
    private TestKafka kafka;

    private BrokerProcess(Path directory, Path config, int port) {
        this.directory = directory;
        this.config = config;
        this.port = port;
    }

    /** Formats a fresh log directory and starts the broker; returns once it answers. */
    public static BrokerProcess start() throws IOException, InterruptedException {
        Path directory = Files.createTempDirectory("kafka-broker");
        int port = freePort();
        int controllerPort = freePort();
        Path config = directory.resolve("server.properties");
        Files.writeString(config, String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + directory.resolve("data"),
                "num.partitions=1",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=4",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=false",
                ""));
        Process format = java(directory.resolve("format.log"), "kafka.tools.StorageTool", "format",
                "-t", Uuid.randomUuid().toString(), "-c", config.toString());
        if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
            throw new IllegalStateException("formatting the broker's storage failed; see " + directory.resolve("format.log"));
        }
        BrokerProcess broker = new BrokerProcess(directory, config, port);
        broker.restart();
        return broker;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Clients of this broker; they keep working across restarts. */
    public TestKafka kafka() {
        return kafka;
    }

    /** SIGKILL: no controlled shutdown; the data stays on disk for {@link #restart()}. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Starts the broker on its port with its data; returns once it answers. */
    public void restart() throws IOException, InterruptedException {
        if (isRunning()) {
            throw new IllegalStateException("the broker is running");
        }
        process = java(directory.resolve("broker.log"), "kafka.Kafka", config.toString());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            Await.until(Duration.ofSeconds(60), () -> answers(admin), () -> "broker answering; log in " + directory);
        }
        if (kafka == null) {
            kafka = new TestKafka(bootstrapServers());
        }
    }

    private boolean answers(Admin admin) {
        if (!process.isAlive()) {
            throw new IllegalStateException("the broker exited; log in " + directory.resolve("broker.log"));
        }
        try {
            return !admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty();
        } catch (Exception notYet) {
            return false;
        }
    }

    private static Process java(Path log, String mainClass, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(arguments));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (kafka != null) {
            kafka.close();
        }
        if (isRunning()) {
            kill();
        }
    }
}
