package dev.lineagehub.otel.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real ClickHouse engine in this JVM through chDB (libchdb.so) and a small JNI glue, both set up
 * by {@code ./lineage-hub test}, which passes the glue's path in {@code LINEAGEHUB_CHDB_JNI}.
 * chDB allows one open connection per process; statements on it run one at a time.
 */
public final class Chdb implements AutoCloseable {

    private static final String LIBRARY_ENV = "LINEAGEHUB_CHDB_JNI";
    private static boolean loaded;

    private final long handle;

    private Chdb(long handle) {
        this.handle = handle;
    }

    /** Opens the engine on a data directory; tables persist there across connections. */
    public static synchronized Chdb open(Path dataDirectory) {
        if (!loaded) {
            String library = System.getenv(LIBRARY_ENV);
            if (library == null || !Files.isRegularFile(Path.of(library))) {
                throw new IllegalStateException(LIBRARY_ENV + " does not name the chDB JNI glue (" + library
                        + "); run the tests with ./lineage-hub test, which fetches chDB and builds it");
            }
            System.load(library);
            loaded = true;
        }
        return new Chdb(connect(new String[] {"clickhouse", "--path=" + dataDirectory}));
    }

    /** Runs one statement; inline data (INSERT ... FORMAT x) follows the statement in the same bytes. */
    public synchronized byte[] query(byte[] statement, String format) {
        return query(handle, statement, format);
    }

    @Override
    public synchronized void close() {
        close(handle);
    }

    private static native long connect(String[] args);

    private static native byte[] query(long handle, byte[] statement, String format);

    private static native void close(long handle);
}
