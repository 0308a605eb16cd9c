package dev.lineagehub.delivery.offsets;

import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * Which offsets of one input partition are resolved — delivered, dead-lettered or skipped on purpose —
 * and so which offset may be committed: the lowest unresolved one, or the one after the last record
 * seen when every record is resolved. Offsets are registered in the order the partition hands them out;
 * they resolve in any order.
 *
 * <p>Kafka Streams commits the offset after the last record {@code process()} returned from; the
 * consumer clamps that commit to {@link #committable(long)}, so no offset is committed before its
 * record is resolved, and no commit has to wait for a sink.
 */
public final class OffsetTracker {

    private final TreeSet<Long> unresolved = new TreeSet<>();
    private final LongSupplier nanoClock;
    private long next = -1;
    private long lowestSinceNanos;
    private volatile boolean open = true;

    public OffsetTracker() {
        this(System::nanoTime);
    }

    /** @param nanoClock what {@link #stalled} is measured against ({@code System::nanoTime}; a test's own clock) */
    OffsetTracker(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.lowestSinceNanos = nanoClock.getAsLong();
    }

    /**
     * A record of this partition reached the consumer; it stays unresolved until {@link #resolved}. An
     * offset below one seen before (Streams reading again after a seek) only holds commits back further.
     */
    public synchronized void registered(long offset) {
        if (unresolved.isEmpty()) {
            lowestSinceNanos = nanoClock.getAsLong();
        }
        unresolved.add(offset);
        next = Math.max(next, offset + 1);
    }

    public synchronized void resolved(long offset) {
        boolean wasLowest = !unresolved.isEmpty() && unresolved.first() == offset;
        if (unresolved.remove(offset) && wasLowest) {
            lowestSinceNanos = nanoClock.getAsLong();
        }
    }

    /** The offset to commit when Kafka Streams asks for {@code requested}: never past an unresolved record. */
    public synchronized long committable(long requested) {
        return unresolved.isEmpty() ? requested : Math.min(requested, unresolved.first());
    }

    /** The offset everything before which is resolved; -1 before the first record. */
    public synchronized long resolvedUpTo() {
        return unresolved.isEmpty() ? next : unresolved.first();
    }

    public synchronized int unresolvedCount() {
        return unresolved.size();
    }

    /**
     * True when the commit point has not moved for {@code timeoutNanos}: the lowest unresolved record
     * is the same one since then, whatever the records behind it do.
     */
    public synchronized boolean stalled(long nowNanos, long timeoutNanos) {
        return !unresolved.isEmpty() && nowNanos - lowestSinceNanos > timeoutNanos;
    }

    /** Its task closed; what it holds still clamps the partition's last commit on this instance. */
    public void close() {
        open = false;
    }

    public boolean isOpen() {
        return open;
    }
}
