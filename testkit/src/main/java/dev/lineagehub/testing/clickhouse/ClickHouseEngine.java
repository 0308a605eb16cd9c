package dev.lineagehub.testing.clickhouse;

import org.testcontainers.DockerClientFactory;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the test fixture's statements run: a ClickHouse server in Docker when there is a Docker
 * engine, otherwise the same engine inside this JVM (chDB). Either way it is real ClickHouse SQL on
 * real table engines. Set {@code LINEAGEHUB_TEST_CLICKHOUSE=chdb} to use chDB even where Docker runs.
 */
public interface ClickHouseEngine extends AutoCloseable {

    /**
     * Runs one statement with these settings (they last for this statement only); inline data
     * ({@code INSERT ... FORMAT x}) follows the statement in the same bytes.
     *
     * @throws ClickHouseEngineException if ClickHouse refused the statement
     */
    byte[] query(Map<String, String> settings, byte[] statement, String format);

    /**
     * Runs an {@code INSERT … FORMAT x} whose rows are in a file, read by the engine's own reader for that format, as a
     * server reads an insert's request body.
     */
    byte[] insert(Map<String, String> settings, String statement, Path rows, String format);

    /** What runs the statements, for logs: which engine, where its data is. */
    String description();

    @Override
    void close();

    /** The engine for tests; chDB keeps its tables in {@code dataDirectory}, a container in itself. */
    static ClickHouseEngine forTests(Path dataDirectory) {
        boolean chdb = "chdb".equals(System.getenv("LINEAGEHUB_TEST_CLICKHOUSE"));
        if (!chdb && DockerClientFactory.instance().isDockerAvailable()) {
            return ClickHouseServerContainer.start();
        }
        return inThisJvm(dataDirectory);
    }

    /** chDB, Docker or not: for what must run on a machine without it ({@code ./lineage-hub run}). */
    static ClickHouseEngine inThisJvm(Path dataDirectory) {
        return Chdb.open(dataDirectory);
    }
}
