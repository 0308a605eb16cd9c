package dev.lineagehub.sdk.client;

import java.util.UUID;

/**
 * No answer: the connection was refused, reset or timed out (or Kafka's send failed with a retriable
 * error). {@link #maybeDelivered()} says whether the server may have received the request anyway —
 * false only when it provably never left (a refused connection).
 */
public final class TransientNetworkError extends HubException {

    private final boolean maybeDelivered;

    TransientNetworkError(String message, boolean maybeDelivered, String requestId, UUID runId, Throwable cause) {
        super(message, 0, requestId, runId, cause);
        this.maybeDelivered = maybeDelivered;
    }

    public boolean maybeDelivered() {
        return maybeDelivered;
    }

    @Override
    public boolean retryable() {
        return true;
    }
}
