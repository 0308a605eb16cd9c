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
    private volatile Failure failure;
    private volatile CountDownLatch held = new CountDownLatch(0);
    private volatile CountDownLatch hung = new CountDownLatch(0);
    private boolean refusing;

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
            if (!latency.isZero()) {
                Thread.sleep(latency.toMillis());
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
