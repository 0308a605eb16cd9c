package dev.lineagehub.delivery;

/**
 * How delivering one item ended: acknowledged, refused for good (dead-letter it), or abandoned
 * because its task was closed — then the record is not committed and its next owner delivers it.
 *
 * @param attempts how many times the sink was called
 * @param failure  why it was refused; null unless {@link Status#FAILED}
 */
public record DeliveryOutcome(Status status, int attempts, Exception failure) {

    public enum Status { DELIVERED, FAILED, ABANDONED }

    static DeliveryOutcome delivered(int attempts) {
        return new DeliveryOutcome(Status.DELIVERED, attempts, null);
    }

    static DeliveryOutcome failed(int attempts, Exception failure) {
        return new DeliveryOutcome(Status.FAILED, attempts, failure);
    }

    static DeliveryOutcome abandoned(int attempts) {
        return new DeliveryOutcome(Status.ABANDONED, attempts, null);
    }
}
