package dev.lineagehub.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

class RetryAfterTest {

    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");

    @Test
    void readsSecondsOrAnHttpDate() {
        assertThat(RetryAfter.parse("7", NOW)).contains(Duration.ofSeconds(7));
        assertThat(RetryAfter.parse(" 0 ", NOW)).contains(Duration.ZERO);
        assertThat(RetryAfter.parse("-3", NOW)).as("a negative wait is no wait").contains(Duration.ZERO);
        assertThat(RetryAfter.parse("Tue, 24 Nov 2026 10:00:30 GMT", NOW)).contains(Duration.ofSeconds(30));
        assertThat(RetryAfter.parse("Tue, 24 Nov 2026 09:00:00 GMT", NOW)).as("a date gone by").contains(Duration.ZERO);
        assertThat(RetryAfter.parse("soon", NOW)).isEmpty();
        assertThat(RetryAfter.parse("", NOW)).isEmpty();
        assertThat(RetryAfter.parse(null, NOW)).isEmpty();
    }

    @Property(tries = 300)
    void anyDateAheadIsTheWaitUntilIt(@ForAll @LongRange(min = 0, max = 10_000_000) long secondsAhead) {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.plusSeconds(secondsAhead).atOffset(ZoneOffset.UTC));
        assertThat(RetryAfter.parse(date, NOW)).contains(Duration.ofSeconds(secondsAhead));
        assertThat(RetryAfter.parse(String.valueOf(secondsAhead), NOW)).contains(Duration.ofSeconds(secondsAhead));
    }
}
