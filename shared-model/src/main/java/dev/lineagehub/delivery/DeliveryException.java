package dev.lineagehub.delivery;

/**
 * A sink could not take a record. Sinks complete their futures with one of the two subclasses, so
 * whether to retry is decided where the protocol is understood and nowhere else.
 */
public abstract sealed class DeliveryException extends RuntimeException
        permits RetryableDeliveryException, PermanentDeliveryException {

    private final String sinkStatus;

    DeliveryException(String message, String sinkStatus, Throwable cause) {
        super(message, cause);
        this.sinkStatus = sinkStatus;
    }

    /** What the sink last said, e.g. {@code HTTP 422: {"errors":[...]}} or {@code connection refused}. */
    public String sinkStatus() {
        return sinkStatus;
    }
}
