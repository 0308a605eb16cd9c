package dev.lineagehub.testing.clickhouse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real ClickHouse engine in this JVM through chDB (libchdb.so) and a small JNI glue, both set up
 * by {@code ./lineage-hub test}, which passes the glue's path in {@code LINEAGEHUB_CHDB_JNI}.
 * chDB allows one open connection per process; statements on it run one at a time.
 */
final class Chdb implements ClickHouseEngine {

    private static final String LIBRARY_ENV = "LINEAGEHUB_CHDB_JNI";
    private static final Pattern INSERT_TAIL = Pattern.compile("(?i)\\s(SETTINGS|FORMAT)\\s");
    private static boolean loaded;

    private final long handle;
    private final Path dataDirectory;

    private Chdb(long handle, Path dataDirectory) {
        this.handle = handle;
        this.dataDirectory = dataDirectory;
    }

    /** Opens the engine on a data directory; tables persist there across connections. */
    static synchronized Chdb open(Path dataDirectory) {
        if (!loaded) {
            String library = System.getenv(LIBRARY_ENV);
            if (library == null || !Files.isRegularFile(Path.of(library))) {
                throw new IllegalStateException(LIBRARY_ENV + " does not name the chDB JNI glue (" + library
                        + "); run the tests with ./lineage-hub test, which fetches chDB and builds it");
            }
            System.load(library);
            loaded = true;
        }
        return new Chdb(connect(new String[] {"clickhouse", "--path=" + dataDirectory}), dataDirectory);
    }

    /** Settings go through SET on chDB's one session and are reset afterwards, so they last one statement. */
    @Override
    public synchronized byte[] query(Map<String, String> settings, byte[] statement, String format) {
        try {
            for (Map.Entry<String, String> setting : settings.entrySet()) {
                run("SET " + setting.getKey() + " = " + literal(setting.getValue()));
            }
            return query(handle, statement, format);
        } finally {
            for (String name : settings.keySet()) {
                run("SET " + name + " = DEFAULT");
            }
        }
    }

    /**
     * {@code FROM INFILE}, which chDB (clickhouse-local) reads with the format's reader; placed before a
     * {@code SETTINGS} clause, as ClickHouse's grammar wants it.
     */
    @Override
    public byte[] insert(Map<String, String> settings, String statement, Path rows, String format) {
        Matcher tail = INSERT_TAIL.matcher(statement);
        if (!tail.find()) {
            throw new IllegalArgumentException("not an INSERT ... FORMAT statement: " + statement);
        }
        String fromFile = statement.substring(0, tail.start()) + " FROM INFILE '" + rows.toAbsolutePath().toString().replace("'", "\\'") + "'"
                + statement.substring(tail.start());
        return query(settings, fromFile.getBytes(StandardCharsets.UTF_8), format);
    }

    private void run(String statement) {
        query(handle, statement.getBytes(StandardCharsets.UTF_8), "TabSeparated");
    }

    private static String literal(String value) {
        return value.matches("-?\\d+(\\.\\d+)?") ? value : "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    @Override
    public String description() {
        return "ClickHouse engine in this JVM (chDB), data in " + dataDirectory;
    }

    @Override
    public synchronized void close() {
        close(handle);
    }

    private static native long connect(String[] args);

    private static native byte[] query(long handle, byte[] statement, String format);

    private static native void close(long handle);
}
