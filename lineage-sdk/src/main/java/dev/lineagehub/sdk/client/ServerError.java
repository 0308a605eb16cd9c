package dev.lineagehub.sdk.client;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/** 5xx, or 429: the server cannot take the request now; it may say how long to wait ({@code Retry-After}). */
public final class ServerError extends HubException {

    private final Duration retryAfter;

    ServerError(String message, int status, String requestId, UUID runId, Duration retryAfter) {
        super(message, status, requestId, runId, null);
        this.retryAfter = retryAfter;
    }

    @Override
    public boolean retryable() {
        return true;
    }

    @Override
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
