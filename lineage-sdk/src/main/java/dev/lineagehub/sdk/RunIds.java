package dev.lineagehub.sdk;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;

/**
 * Run ids as UUIDv7 (RFC 9562): the first 48 bits are the Unix time in milliseconds and 74 bits are
 * random. OpenLineage, Marquez and DataHub all take it as any UUID, ids sort by start time, and two
 * runs cannot collide unless they start in the same millisecond and draw the same 74 bits — the
 * "timestamp + uuid4" rule of the worker contract, in the one format every sink accepts.
 */
final class RunIds {

    private static final SecureRandom RANDOM = new SecureRandom();

    private RunIds() {
    }

    public static UUID next(Clock clock) {
        long millis = clock.millis();
        long randA = RANDOM.nextInt(1 << 12);
        long msb = (millis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | randA;
        long lsb = RANDOM.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb);
    }

    /** The millisecond a UUIDv7 was made in. */
    public static long millis(UUID v7) {
        if (v7.version() != 7) {
            throw new IllegalArgumentException(v7 + " is not a UUIDv7");
        }
        return v7.getMostSignificantBits() >>> 16;
    }
}
