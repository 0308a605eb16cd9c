package dev.lineagehub.ingest.http;

import dev.lineagehub.ingest.config.IngestSettings;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds what a client holds, whatever it sends or does not send:
 * <ul>
 *   <li>a new connection must have its first request's headers in within the headers timeout, and
 *       a kept-alive one its next request's within the idle timeout, or it is closed (slow or idle
 *       clients that never finish a request);</li>
 *   <li>a request must be answered within the request timeout, body read included: else 408 and the
 *       connection closed (a body trickled in byte by byte);</li>
 *   <li>above the connection cap a request is answered 503 with Retry-After and its connection closed,
 *       so a client is told, and a load balancer can try another replica;</li>
 *   <li>an answer given before its request's body was read whole says {@code Connection: close}, as
 *       the connection is closed after it.</li>
 * </ul>
 * A connection's timers run on its event loop, so its state needs no lock; only the map of
 * connections and their count are shared between the loops.
 */
final class ConnectionLimits {

    private final Vertx vertx;
    private final IngestSettings.Connections settings;
    private final Refusals refusals;
    private final Map<HttpConnection, Connection> connections = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private volatile boolean draining;

    /** One connection: the timer that closes it while no request is in progress, and its requests in progress. */
    private final class Connection {
        private final HttpConnection connection;
        private long waitingTimer = -1;
        private int inProgress;

        Connection(HttpConnection connection) {
            this.connection = connection;
        }

        void awaitRequest(Duration within) {
            cancelWaiting();
            waitingTimer = vertx.setTimer(within.toMillis(), id -> connection.close());
        }

        void cancelWaiting() {
            if (waitingTimer >= 0) {
                vertx.cancelTimer(waitingTimer);
                waitingTimer = -1;
            }
        }
    }

    ConnectionLimits(Vertx vertx, IngestSettings.Connections settings, Refusals refusals) {
        this.vertx = vertx;
        this.settings = settings;
        this.refusals = refusals;
    }

    int open() {
        return open.get();
    }

    /**
     * From now on every answer closes its connection, so that when the server stops, the clients hold
     * no kept-alive connection it would close under a request they are about to send.
     */
    void drain() {
        draining = true;
    }

    Handler<HttpConnection> onConnection() {
        return connection -> {
            open.incrementAndGet();
            Connection state = new Connection(connection);
            connections.put(connection, state);
            state.awaitRequest(settings.headersTimeout());
            connection.closeHandler(closed -> {
                state.cancelWaiting();
                connections.remove(connection);
                open.decrementAndGet();
            });
        };
    }

    /** Wraps the router: each request gets its deadline, or a 503 when the replica holds too many connections. */
    Handler<HttpServerRequest> onRequest(Handler<HttpServerRequest> router) {
        return request -> {
            Connection state = connections.get(request.connection());
            if (state == null) { // not seen by onConnection (HTTP/2 streams share one): no bounds of its own
                router.handle(request);
                return;
            }
            state.cancelWaiting();
            state.inProgress++;
            HttpServerResponse response = request.response();
            // An answer given before the request's body was read whole (a 404, a 401, a body that does not decompress)
            // leaves the rest of that body on the connection, which is then closed: say so, or the client sends its next
            // request on a connection that is going away and gets no answer.
            response.headersEndHandler(writing -> {
                if (draining || !request.isEnded()) {
                    response.putHeader("Connection", "close");
                }
            });
            long deadline = vertx.setTimer(settings.requestTimeout().toMillis(), id -> tooSlow(request));
            response.closeHandler(closed -> vertx.cancelTimer(deadline));
            response.endHandler(ended -> {
                vertx.cancelTimer(deadline);
                if (--state.inProgress == 0) {
                    state.awaitRequest(settings.idleTimeout());
                }
            });
            if (open.get() > settings.maxConnections()) {
                refusals.record(request, 503, "connection limit");
                response.putHeader("Connection", "close").putHeader("Retry-After", "1");
                Responses.error(response, 503, "this replica holds its limit of " + settings.maxConnections()
                        + " connections (LINEAGEHUB_INGEST_MAX_CONNECTIONS); retry, another replica may take it");
                return;
            }
            router.handle(request);
        };
    }

    private void tooSlow(HttpServerRequest request) {
        HttpServerResponse response = request.response();
        if (response.ended() || response.closed()) {
            return;
        }
        refusals.record(request, 408, "request too slow");
        if (response.headWritten()) {
            request.connection().close();
            return;
        }
        response.putHeader("Connection", "close");
        Responses.error(response, 408, "the request was not complete within " + settings.requestTimeout().toMillis()
                + " ms (LINEAGEHUB_INGEST_REQUEST_TIMEOUT_MS)");
        request.connection().close();
    }
}
