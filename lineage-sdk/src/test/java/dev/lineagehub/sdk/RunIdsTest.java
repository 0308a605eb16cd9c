package dev.lineagehub.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;


import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

class RunIdsTest {

    @Test
    void aRunIdIsAUuidV7WhoseFirst48BitsAreTheMillisecond() {
        Instant at = Instant.parse("2026-12-01T10:15:30.123Z");
        UUID id = RunIds.next(Clock.fixed(at, ZoneOffset.UTC));

        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(RunIds.millis(id)).isEqualTo(at.toEpochMilli());
        assertThat(id.toString()).startsWith(String.format("%08x-%04x", at.toEpochMilli() >>> 16, at.toEpochMilli() & 0xFFFF));
        assertThat(UUID.fromString(id.toString())).isEqualTo(id);
    }

    @Test
    void runsInTheSameMillisecondStillDifferAndLaterRunsSortLater() {
        Clock fixed = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);
        Set<UUID> ids = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            ids.add(RunIds.next(fixed));
        }
        assertThat(ids).hasSize(100_000);

        UUID earlier = RunIds.next(fixed);
        UUID later = RunIds.next(Clock.offset(fixed, java.time.Duration.ofMillis(1)));
        assertThat(Long.compareUnsigned(earlier.getMostSignificantBits(), later.getMostSignificantBits())).isNegative();
    }

    @Test
    void onlyV7IdsHaveATime() {
        assertThatThrownBy(() -> RunIds.millis(UUID.randomUUID())).isInstanceOf(IllegalArgumentException.class);
    }
}
