package dev.lineagehub.sdk.client;

import java.util.UUID;

/** 401 or 403 (or Kafka's authentication and authorization failures): the key or token is wrong; resending will not help. */
public final class AuthError extends HubException {

    AuthError(String message, int status, String requestId, UUID runId) {
        super(message, status, requestId, runId, null);
    }

    AuthError(String message, Throwable cause) {
        super(message, 0, null, null, cause);
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
