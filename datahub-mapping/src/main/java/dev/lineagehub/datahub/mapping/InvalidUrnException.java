package dev.lineagehub.datahub.mapping;

/**
 * A name that no DataHub URN can hold, even encoded. Permanent: datahub-consumer dead-letters the
 * event with reason {@value #REASON}; the SDK's DataHub transport raises it as a {@code RejectedError}.
 */
public final class InvalidUrnException extends IllegalArgumentException {

    public static final String REASON = "INVALID_URN";

    public InvalidUrnException(String message) {
        super(message);
    }
}
