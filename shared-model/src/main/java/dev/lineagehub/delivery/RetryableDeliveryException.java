package dev.lineagehub.delivery;

import java.time.Duration;
import java.util.Optional;

/** The sink is unavailable or overloaded; the same record may succeed later. */
public final class RetryableDeliveryException extends DeliveryException {

    private final Duration retryAfter;

    public RetryableDeliveryException(String message, String sinkStatus, Duration retryAfter, Throwable cause) {
        super(message, sinkStatus, cause);
        this.retryAfter = retryAfter;
    }

    public RetryableDeliveryException(String message, String sinkStatus) {
        this(message, sinkStatus, null, null);
    }

    /** The wait the sink asked for ({@code Retry-After}); it replaces the computed backoff. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
