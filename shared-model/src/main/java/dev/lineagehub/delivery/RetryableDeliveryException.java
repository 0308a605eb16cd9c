package dev.lineagehub.delivery;

import java.time.Duration;
import java.util.Optional;

/** The sink is unavailable or overloaded; the same record may succeed later. */
public final class RetryableDeliveryException extends DeliveryException {

    private final Duration retryAfter;
    private final boolean overload;

    public RetryableDeliveryException(String message, String sinkStatus, Duration retryAfter, Throwable cause) {
        this(message, sinkStatus, retryAfter, cause, false);
    }

    private RetryableDeliveryException(String message, String sinkStatus, Duration retryAfter, Throwable cause, boolean overload) {
        super(message, sinkStatus, cause);
        this.retryAfter = retryAfter;
        this.overload = overload;
    }

    public RetryableDeliveryException(String message, String sinkStatus) {
        this(message, sinkStatus, null, null);
    }

    /**
     * The sink is up but could not take the call: it timed out, or the sink answered 408, 429, 503 or
     * 504. Fewer calls at once is the cure ({@link ConcurrencyLimit}), not only a retry.
     */
    public static RetryableDeliveryException overload(String message, String sinkStatus, Duration retryAfter, Throwable cause) {
        return new RetryableDeliveryException(message, sinkStatus, retryAfter, cause, true);
    }

    public boolean overload() {
        return overload;
    }

    /** The wait the sink asked for ({@code Retry-After}); it replaces the computed backoff. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
