package dev.lineagehub.testing.clickhouse;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * A ClickHouse server in Docker (the image docker-compose.yml runs), reached over its own HTTP
 * interface. The fixture stays in front of it, so that tests can still take ClickHouse down and
 * count statements the same way with either engine.
 */
final class ClickHouseServerContainer {

    private static final String IMAGE = System.getenv().getOrDefault("LINEAGEHUB_TEST_CLICKHOUSE_IMAGE",
            "clickhouse/clickhouse-server:25.8.9.20");
    private static final int HTTP_PORT = 8123;
    // The image only lets a user with a password in from outside the container.
    private static final String USER = "lineagehub";
    private static final String PASSWORD = "lineagehub";

    private ClickHouseServerContainer() {
    }

    static ClickHouseEngine start() {
        GenericContainer<?> container = new GenericContainer<>(IMAGE)
                .withExposedPorts(HTTP_PORT)
                .withEnv("CLICKHOUSE_USER", USER)
                .withEnv("CLICKHOUSE_PASSWORD", PASSWORD)
                .waitingFor(Wait.forHttp("/ping").forPort(HTTP_PORT));
        container.start();
        String url = "http://" + container.getHost() + ":" + container.getMappedPort(HTTP_PORT) + "/";
        return new ClickHouseHttpEngine(url, USER, PASSWORD, "ClickHouse container " + IMAGE + " at " + url, container::stop);
    }
}
