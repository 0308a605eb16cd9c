package dev.lineagehub.delivery;

import dev.lineagehub.delivery.deadletter.DeadLetterReason;

/** The sink refused this record for good; retrying the same bytes cannot succeed. */
public final class PermanentDeliveryException extends DeliveryException implements DeadLetterReason {

    public static final String SINK_REJECTED = "SINK_REJECTED";
    /** Refused again and again with a retryable error while the sink acknowledged other records. */
    public static final String SINK_POISON = "SINK_POISON";

    private final String reasonCode;

    public PermanentDeliveryException(String message, String sinkStatus) {
        this(SINK_REJECTED, message, sinkStatus, null);
    }

    public PermanentDeliveryException(String reasonCode, String message, String sinkStatus, Throwable cause) {
        super(message, sinkStatus, cause);
        this.reasonCode = reasonCode;
    }

    @Override
    public String reasonCode() {
        return reasonCode;
    }
}
