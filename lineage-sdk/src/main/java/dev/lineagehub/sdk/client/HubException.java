package dev.lineagehub.sdk.client;

import dev.lineagehub.protocol.HttpAnswer;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * A call to the hub (or to DataHub, or to Kafka) that did not succeed, typed by what the caller can
 * do about it: {@link #retryable()} says whether sending the same thing again may succeed.
 */
public abstract sealed class HubException extends RuntimeException
        permits AuthError, NotFound, Conflict, RejectedError, TransientNetworkError, ServerError {

    private final int status;
    private final String requestId;
    private final UUID runId;

    HubException(String message, int status, String requestId, UUID runId, Throwable cause) {
        super(message + (requestId == null ? "" : " [X-Request-Id " + requestId + "]")
                + (runId == null ? "" : " [run " + runId + "]"), cause);
        this.status = status;
        this.requestId = requestId;
        this.runId = runId;
    }

    /** The HTTP status, or 0 when there was no HTTP answer. */
    public int status() {
        return status;
    }

    /** The {@code X-Request-Id} the call carried, to find it in the server's logs; null when not HTTP. */
    public String requestId() {
        return requestId;
    }

    /** The run the call was about, when it was about one. */
    public UUID runId() {
        return runId;
    }

    public abstract boolean retryable();

    /** How long the server asked to wait, when it said. */
    public Optional<Duration> retryAfter() {
        return Optional.empty();
    }

    /** The typed error for an HTTP answer that is not a success. */
    static HubException forStatus(int status, String body, String requestId, UUID runId, Duration retryAfter) {
        String message = "HTTP " + status + (body == null || body.isBlank() ? "" : ": " + abbreviate(body));
        // One table with the consumers (HttpAnswer): a worker gets auth refusals, it alone can fix them.
        return switch (HttpAnswer.of(status)) {
            case AUTH -> new AuthError(message, status, requestId, runId);
            case NOT_FOUND -> new NotFound(message, requestId, runId);
            case CONFLICT -> new Conflict(message, requestId, runId);
            case OVERLOAD, SERVER_ERROR -> new ServerError(message, status, requestId, runId, retryAfter);
            case SUCCESS, REJECTED -> new RejectedError(message, status, requestId, runId);
        };
    }

    private static String abbreviate(String body) {
        String oneLine = body.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= 300 ? oneLine : oneLine.substring(0, 300) + "…";
    }
}
