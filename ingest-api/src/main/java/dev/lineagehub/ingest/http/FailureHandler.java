package dev.lineagehub.ingest.http;

import io.netty.handler.codec.compression.DecompressionException;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpClosedException;
import io.vertx.ext.web.RoutingContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
/**
 * What a route or the body handler failed with, answered as every other error is (JSON, counted,
 * audited): 413 for a body over the limit, 400 for a body that is not the gzip it says, 500 for a
 * fault of ours (logged with its stack, once per request). A client that went away mid-request gets
 * no answer and one debug line: it is an expected condition, not an error.
 */
final class FailureHandler implements Handler<RoutingContext> {

    private static final Logger LOG = LoggerFactory.getLogger(FailureHandler.class);

    private final Refusals refusals;
    private final int maxBodyBytes;

    FailureHandler(Refusals refusals, int maxBodyBytes) {
        this.refusals = refusals;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void handle(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (ctx.response().closed() || failure instanceof HttpClosedException) {
            // 499, as proxies count a request whose client closed the connection before the answer.
            refusals.record(ctx.request(), 499, "client closed the connection");
            LOG.debug("Client closed the connection during {} {}", ctx.request().method(), ctx.request().path());
            return;
        }
        if (ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        int status;
        String message;
        if (ctx.statusCode() == 413) {
            status = 413;
            message = "the body is above the limit of " + maxBodyBytes + " bytes (LINEAGEHUB_INGEST_MAX_BODY_BYTES, counted after decompression)";
        } else if (causedBy(failure, DecompressionException.class)) {
            status = 400;
            message = "the body does not decompress as its Content-Encoding says (gzip or deflate)";
        } else if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
            status = ctx.statusCode();
            message = "the request could not be read" + (failure == null ? "" : ": " + failure.getMessage());
        } else {
            status = 500;
            message = "internal error";
            LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), failure);
        }
        refusals.record(ctx.request(), status, status == 500 ? "internal error" : "unreadable request");
        Responses.error(ctx, status, message);
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }
}
