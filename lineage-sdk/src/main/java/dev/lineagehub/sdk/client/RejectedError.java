package dev.lineagehub.sdk.client;

import java.util.UUID;

/** Any other 4xx (400, 413, 422...), or a record Kafka or DataHub refuses: the request itself is wrong. */
public final class RejectedError extends HubException {

    RejectedError(String message, int status, String requestId, UUID runId) {
        super(message, status, requestId, runId, null);
    }

    RejectedError(String message, Throwable cause) {
        super(message, 0, null, null, cause);
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
