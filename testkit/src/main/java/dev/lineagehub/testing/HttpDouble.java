package dev.lineagehub.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

/**
 * What every loopback stand-in for a sink shares: a JDK HTTP server on 127.0.0.1, answers counted by
 * status, and failure on demand (refused connections, an injected status with Retry-After, latency).
 * Subclasses validate what they receive against the real system's contract.
 */
public abstract class HttpDouble<D extends HttpDouble<D>> implements AutoCloseable {

    static {
        // Real sinks (Jetty, Netty) set TCP_NODELAY; the JDK server does not by default, and then Nagle's
        // algorithm holds a response body back ~40 ms for the ACK of its headers. Read when the first server starts.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /** An answer injected by {@link #failWith}, given instead of the real one. */
    protected record Failure(int status, String retryAfter, String body) {
    }

    private final Map<Integer, AtomicInteger> answers = new ConcurrentHashMap<>();
    private final ExecutorService executor;
    private final int port;
    private volatile HttpServer server;
    private volatile Duration latency = Duration.ZERO;
    private volatile Duration jitter = Duration.ZERO;
    private volatile Failure failure;
    private volatile CountDownLatch held = new CountDownLatch(0);
    private volatile CountDownLatch hung = new CountDownLatch(0);
    private boolean refusing;
    private volatile SharedCapacity capacity;
    private final java.util.concurrent.ConcurrentLinkedQueue<Long> workNanos = new java.util.concurrent.ConcurrentLinkedQueue<>();

    protected HttpDouble(int threads) throws IOException {
        this.executor = Executors.newFixedThreadPool(threads);
        this.server = bind(0);
        this.port = server.getAddress().getPort();
    }

    /** Adds the double's contexts (paths and handlers) to a freshly bound server. */
    protected abstract void register(HttpServer server);

    @SuppressWarnings("unchecked")
    private D self() {
        return (D) this;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** How many requests got this status. */
    public int answered(int status) {
        AtomicInteger count = answers.get(status);
        return count == null ? 0 : count.get();
    }

    /** Adds this much time before every answer, like a busy sink. */
    public D latency(Duration latency) {
        this.latency = latency;
        return self();
    }

    /** Adds a random 0 to {@code jitter} more before every answer: concurrent requests then finish in any order. */
    public D jitter(Duration jitter) {
        this.jitter = jitter;
        return self();
    }

    /**
     * Holds every answer back until {@link #release()}: the client's window fills and stops, so a backlog
     * can build up behind it (a benchmark then times draining it, not the producer that wrote it).
     */
    public void hold() {
        held = new CountDownLatch(1);
    }

    public void release() {
        held.countDown();
    }

    /**
     * A stuck server: connections are accepted and requests read, but nothing is answered until
     * {@link #endHang()}. Unlike {@link #hold()}, the held requests are then dropped unprocessed, as
     * when the stuck server is restarted, so only the clients' retries can deliver them.
     */
    public void hang() {
        hung = new CountDownLatch(1);
    }

    public void endHang() {
        hung.countDown();
    }

    /**
     * A sink with a fixed capacity, like Marquez, CPU-bound on its 2 cores: {@code cores} cores shared
     * by the requests in progress ({@link SharedCapacity}), {@code unitsPerSecond} units of work per
     * second in all. Up to {@code cores} requests take {@code cores / unitsPerSecond} seconds; more take
     * longer, all alike. A request whose client has given up (timed out) is still worked on and stored,
     * as the real servers do.
     */
    public D capacity(double unitsPerSecond, int cores) {
        capacity = new SharedCapacity(unitsPerSecond, cores);
        return self();
    }

    /** The unloaded latency of the capacity model: one unit's work. */
    public Duration unloadedLatency() {
        SharedCapacity model = capacity;
        return model == null ? Duration.ZERO : model.work();
    }

    /** Time each unit of work spent at the sink, in nanoseconds, since the last call; forgotten here. */
    public long[] drainWorkTimes() {
        List<Long> times = new ArrayList<>();
        for (Long t; (t = workNanos.poll()) != null; ) {
            times.add(t);
        }
        return times.stream().mapToLong(Long::longValue).toArray();
    }

    /** One unit of work under the capacity model; nothing without one. */
    protected void work() {
        SharedCapacity model = capacity;
        if (model == null) {
            return;
        }
        long start = System.nanoTime();
        try {
            model.perform();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workNanos.add(System.nanoTime() - start);
    }

    /** Answers every request with this status until {@link #recover()}. */
    public void failWith(int status, String retryAfter, String body) {
        failure = new Failure(status, retryAfter, body);
    }

    /** Closes the listening socket: clients get "connection refused" until {@link #recover()}. */
    public synchronized void refuseConnections() {
        server.stop(0);
        refusing = true;
    }

    /** Back to normal: listening again and validating. */
    public synchronized void recover() throws IOException {
        failure = null;
        if (refusing) {
            server = bind(port);
            refusing = false;
        }
    }

    /**
     * Waits the configured latency, then gives the injected answer if there is one.
     *
     * @return true when the request was answered here
     */
    protected boolean delayOrFail(HttpExchange exchange) throws IOException {
        try {
            CountDownLatch hang = hung;
            if (hang.getCount() > 0) {
                hang.await();
                // Closed without an answer: the client sees the connection drop and never learns the outcome.
                exchange.close();
                return true;
            }
            held.await();
            long millis = latency.toMillis() + (jitter.isZero() ? 0
                    : java.util.concurrent.ThreadLocalRandom.current().nextLong(jitter.toMillis() + 1));
            if (millis > 0) {
                Thread.sleep(millis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Failure injected = failure;
        if (injected == null) {
            return false;
        }
        if (injected.retryAfter() != null) {
            exchange.getResponseHeaders().set("Retry-After", injected.retryAfter());
        }
        answer(exchange, injected.status(), injected.body());
        return true;
    }

    protected void answer(HttpExchange exchange, int status, String body) throws IOException {
        answers.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (!body.isEmpty()) {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
        }
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** The request body, inflated when the client sent it gzip-compressed. */
    protected static byte[] readBody(HttpExchange exchange) throws IOException {
        InputStream in = exchange.getRequestBody();
        if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
            in = new GZIPInputStream(in);
        }
        try (InputStream body = in) {
            return body.readAllBytes();
        }
    }

    private HttpServer bind(int bindPort) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), bindPort), 512);
        http.setExecutor(executor);
        register(http);
        http.start();
        return http;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
