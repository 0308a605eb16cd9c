package dev.lineagehub.testing.clickhouse;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * The ClickHouse HTTP interface on 127.0.0.1 in front of a real engine ({@link ClickHouseEngine}: a
 * ClickHouse container where Docker runs, chDB in this JVM where it does not), enough of it for
 * clickhouse-jdbc with {@code compress=false}: the statement in the {@code query} parameter and/or
 * the body (inline data after it), the output format from {@code default_format} or
 * {@code X-ClickHouse-Format}, settings as URL parameters, and errors as ClickHouse answers them
 * (status 500, {@code X-ClickHouse-Exception-Code}, the message as the body). It can be made
 * unavailable on demand, like a ClickHouse server that is down; answer as a proxy in front of one
 * ({@link #answerAsProxy}); or run chosen statements with extra settings ({@link #withSettings}), so
 * that the engine itself refuses them as a server with that profile would (read-only, a lower limit).
 */
public final class ClickHouseHttpFixture implements AutoCloseable {

    /** URL parameters that are part of the protocol, not ClickHouse settings. */
    private static final Set<String> NOT_SETTINGS = Set.of("query", "database", "default_format", "query_id", "user",
            "password", "compress", "decompress", "session_id", "session_timeout", "session_check", "wait_end_of_query",
            "enable_http_compression", "quota_key", "buffer_size", "client_protocol_version");

    /** {@code INSERT … FORMAT <name>} with nothing after the format's name: the rows, if any, are the body. */
    private static final Pattern INSERT_WITH_FORMAT = Pattern.compile("(?is)\\s*INSERT\\s.*\\sFORMAT\\s+\\w+\\s*");

    private final ClickHouseEngine engine;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final Map<String, AtomicInteger> statementsByStart = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<ExtraSettings> overrides = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicInteger proxyAnswers = new AtomicInteger();
    private volatile int proxyStatus;
    private final int port;
    private volatile HttpServer server;
    private boolean down;

    /** In front of the tests' engine ({@link ClickHouseEngine#forTests}). */
    public ClickHouseHttpFixture(Path dataDirectory) throws IOException {
        this(ClickHouseEngine.forTests(dataDirectory));
    }

    public ClickHouseHttpFixture(ClickHouseEngine engine) throws IOException {
        this.engine = engine;
        this.server = bind(0);
        this.port = server.getAddress().getPort();
    }

    public String jdbcUrl() {
        return "jdbc:clickhouse:" + httpUrl() + "default?compress=false";
    }

    /** The HTTP interface's root, e.g. for another fixture to forward to ({@link ClickHouseHttpEngine}). */
    String httpUrl() {
        return "http://127.0.0.1:" + port + "/";
    }

    /** Which engine serves the statements, and where its data is. */
    public String engineDescription() {
        return engine.description();
    }

    /** Runs a statement directly on the engine, e.g. to check what a test inserted. */
    public String query(String sql) {
        return new String(engine.query(Map.of(), sql.getBytes(StandardCharsets.UTF_8), "TabSeparated"), StandardCharsets.UTF_8).strip();
    }

    /** Rows in a table ({@code database.table}), 0 while the consumer has not created it yet. */
    public long rows(String table) {
        try {
            return Long.parseLong(query("SELECT count() FROM " + table));
        } catch (RuntimeException tableNotThereYet) {
            return 0;
        }
    }

    /** Statements served over HTTP so far that start with this text, e.g. "INSERT INTO otel.otel_traces". */
    public int statementsStartingWith(String start) {
        AtomicInteger count = statementsByStart.get(start);
        return count == null ? 0 : count.get();
    }

    /** Starts counting statements that start with this text. */
    public void count(String start) {
        statementsByStart.putIfAbsent(start, new AtomicInteger());
    }

    /** Settings added to the next {@code times} statements that start with a text. */
    private record ExtraSettings(String start, Map<String, String> settings, AtomicInteger left) {
    }

    /**
     * The next {@code times} statements starting with {@code start} (e.g. "INSERT INTO otel.otel_traces")
     * run with these settings as well, as under a user profile that sets them: the engine's own refusal
     * ({@code readonly=1}, {@code max_partitions_per_insert_block=2}) is what the client gets.
     */
    public void withSettings(String start, Map<String, String> settings, int times) {
        overrides.add(new ExtraSettings(start, Map.copyOf(settings), new AtomicInteger(times)));
    }

    /**
     * The next {@code times} requests get {@code status} and an HTML page without ClickHouse's
     * exception header, as from a proxy whose ClickHouse is away.
     */
    public void answerAsProxy(int status, int times) {
        proxyStatus = status;
        proxyAnswers.set(times);
    }

    /** Closes the port: clients get "connection refused" until {@link #up()}. */
    public synchronized void down() {
        server.stop(0);
        down = true;
    }

    public synchronized void up() throws IOException {
        if (down) {
            server = bind(port);
            down = false;
        }
    }

    private HttpServer bind(int bindPort) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), bindPort), 128);
        http.createContext("/", this::handle);
        http.setExecutor(executor);
        http.start();
        return http;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/ping")) {
                answer(exchange, 200, "Ok.\n".getBytes(StandardCharsets.UTF_8), "TabSeparated");
                return;
            }
            Map<String, String> params = parameters(exchange.getRequestURI().getRawQuery());
            String query = params.get("query");
            boolean dataInBody = query != null && INSERT_WITH_FORMAT.matcher(query).matches();
            byte[] body = dataInBody ? new byte[0] : readAll(exchange.getRequestBody());
            if (proxyAnswers.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                exchange.getResponseHeaders().set("Content-Type", "text/html");
                byte[] page = ("<html><body><h1>" + proxyStatus + " Bad Gateway</h1></body></html>").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(proxyStatus, page.length);
                exchange.getResponseBody().write(page);
                return;
            }
            byte[] statement = statement(query, body);
            String format = params.getOrDefault("default_format",
                    header(exchange, "X-ClickHouse-Format", "TabSeparated"));
            String text = new String(statement, 0, Math.min(statement.length, 200), StandardCharsets.UTF_8);
            statementsByStart.forEach((start, count) -> {
                if (text.startsWith(start)) {
                    count.incrementAndGet();
                }
            });
            Map<String, String> settings = settingsOf(params);
            for (ExtraSettings override : overrides) {
                if (text.startsWith(override.start()) && override.left().getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                    settings.putAll(override.settings());
                }
            }
            try {
                answer(exchange, 200, dataInBody ? insert(settings, query, exchange.getRequestBody(), format)
                        : engine.query(settings, statement, format), format);
            } catch (ClickHouseEngineException e) {
                exchange.getResponseHeaders().set("X-ClickHouse-Exception-Code", String.valueOf(e.code()));
                answer(exchange, 500, (e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8), format);
            }
        }
    }

    /**
     * An insert whose rows are the request's body (client-v2 sends the statement in {@code query}, the rows as the
     * body): the body goes to a file the engine reads with its own reader, as a server reads the request's stream, so
     * the fixture does not turn the rows into statement text and become what a benchmark measures.
     */
    private byte[] insert(Map<String, String> settings, String query, InputStream rows, String format) throws IOException {
        Path file = Files.createTempFile("clickhouse-insert-", ".data");
        try {
            Files.copy(rows, file, StandardCopyOption.REPLACE_EXISTING);
            return Files.size(file) == 0 ? engine.query(settings, query.getBytes(StandardCharsets.UTF_8), format)
                    : engine.insert(settings, query, file, format);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static byte[] statement(String query, byte[] body) {
        if (query == null) {
            return body;
        }
        byte[] head = query.getBytes(StandardCharsets.UTF_8);
        if (body.length == 0) {
            return head;
        }
        byte[] joined = new byte[head.length + 1 + body.length];
        System.arraycopy(head, 0, joined, 0, head.length);
        joined[head.length] = '\n';
        System.arraycopy(body, 0, joined, head.length + 1, body.length);
        return joined;
    }

    private static Map<String, String> settingsOf(Map<String, String> params) {
        Map<String, String> settings = new LinkedHashMap<>();
        params.forEach((name, value) -> {
            if (!NOT_SETTINGS.contains(name) && !name.startsWith("param_")) {
                settings.put(name, value);
            }
        });
        return settings;
    }

    private static Map<String, String> parameters(String rawQuery) {
        Map<String, String> params = new LinkedHashMap<>();
        if (rawQuery == null) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(name, value);
        }
        return params;
    }

    private static String header(HttpExchange exchange, String name, String fallback) {
        List<String> values = exchange.getRequestHeaders().get(name);
        return values == null || values.isEmpty() ? fallback : values.get(0);
    }

    private static void answer(HttpExchange exchange, int status, byte[] body, String format) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=UTF-8");
        exchange.getResponseHeaders().set("X-ClickHouse-Format", format);
        exchange.getResponseHeaders().set("X-ClickHouse-Timezone", "UTC");
        exchange.getResponseHeaders().set("X-ClickHouse-Query-Id", UUID.randomUUID().toString());
        exchange.getResponseHeaders().set("X-ClickHouse-Server-Display-Name", "chdb");
        exchange.getResponseHeaders().set("X-ClickHouse-Summary", "{\"read_rows\":\"0\",\"read_bytes\":\"0\","
                + "\"written_rows\":\"0\",\"written_bytes\":\"0\",\"total_rows_to_read\":\"0\",\"result_rows\":\"0\",\"result_bytes\":\"0\"}");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        engine.close();
    }
}
