package dev.lineagehub.otel.decode;

import java.time.Instant;

/**
 * OTLP times (nanoseconds since the epoch, UTC) as the JDBC driver must get them for DateTime64
 * columns: an {@link Instant} is written as epoch time, whereas a {@code java.sql.Timestamp} passed as
 * an object, or inside an array, is read as wall-clock time in the JVM's own time zone.
 */
public final class EpochTime {

    private EpochTime() {
    }

    public static Instant of(long epochNanos) {
        return Instant.ofEpochSecond(0, epochNanos);
    }
}
