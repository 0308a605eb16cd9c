package dev.lineagehub.datahub.mapping;

/**
 * A name that no DataHub URN can hold, even encoded. Permanent: datahub-consumer dead-letters the
 * event with reason {@value #REASON}; the SDK's DataHub emitter drops it with a warning.
 */
public final class InvalidUrnException extends IllegalArgumentException {

    public static final String REASON = "INVALID_URN";

    public InvalidUrnException(String message) {
        super(message);
    }
}
