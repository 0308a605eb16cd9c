package dev.lineagehub.openlineage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

class EventTimesTest {

    /** What the formatter alone answers: the reading the hand-written path must never differ from. */
    private static Optional<Instant> formatter(String text) {
        try {
            TemporalAccessor parsed = DateTimeFormatter.ISO_DATE_TIME.parseBest(text, ZonedDateTime::from, LocalDateTime::from);
            return Optional.of(parsed instanceof ZonedDateTime zoned ? zoned.toInstant() : ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC));
        } catch (RuntimeException invalid) {
            return Optional.empty();
        }
    }

    private static Optional<Instant> parse(String text) {
        try {
            return Optional.of(EventTimes.parse(text));
        } catch (RuntimeException invalid) {
            return Optional.empty();
        }
    }

    @Test
    void readsWhatTheFormatterReadsAndRefusesWhatItRefuses() {
        List<String> samples = new ArrayList<>(List.of(
                "2026-12-02T10:15:30Z", "2026-12-02T10:15:30.1Z", "2026-12-02T10:15:30.123456789Z", "2026-12-02T10:15:30.1234567891Z",
                "2026-12-02T10:15:30.Z", "2026-12-02T10:15:30+02:00", "2026-12-02T10:15:30.5-05:30", "2026-12-02T10:15:30-00:00",
                "2026-12-02T10:15:30+18:00", "2026-12-02T10:15:30+18:01", "2026-12-02T10:15:30+0200", "2026-12-02T10:15:30+02",
                "2026-12-02T10:15:30", "2026-12-02T10:15:30.250", "2026-12-02T10:15", "2026-12-02t10:15:30z",
                "2026-12-02T10:15:30Z[UTC]", "2026-12-02T10:15:30+01:00[Europe/Paris]", "2026-02-29T10:15:30Z", "2024-02-29T10:15:30Z",
                "2026-13-02T10:15:30Z", "2026-12-32T10:15:30Z", "2026-12-02T24:00:00Z", "2026-12-02T23:59:60Z", "2026-12-02T10:60:30Z",
                "0000-01-01T00:00:00Z", "+12026-12-02T10:15:30Z", "2026-12-02 10:15:30Z", "2026-1a-02T10:15:30Z", "2026-12-02T10:15:30ZZ",
                "2026-12-02T10:15:30+02:00:30", "2026-12-02T10:15:30+2:00", "2026-12-02T10:15:30.123+", "", "not a date"));
        Random random = new Random(20261202);
        String alphabet = "0123456789-:T.Z+ ";
        for (int i = 0; i < 20_000; i++) {
            char[] mutated = samples.get(random.nextInt(10)).toCharArray();
            mutated[random.nextInt(mutated.length)] = alphabet.charAt(random.nextInt(alphabet.length()));
            samples.add(new String(mutated));
        }
        for (String sample : samples) {
            assertThat(parse(sample)).as(sample).isEqualTo(formatter(sample));
        }
    }

    @Test
    void theUsualShapesTakeTheHandWrittenPath() {
        assertThat(EventTimes.common("2026-12-02T10:15:30.123456Z")).isEqualTo(Instant.parse("2026-12-02T10:15:30.123456Z"));
        assertThat(EventTimes.common("2026-12-02T10:15:30.5-05:30")).isEqualTo(Instant.parse("2026-12-02T15:45:30.5Z"));
        assertThat(EventTimes.common("2026-12-02T10:15:30")).isEqualTo(Instant.parse("2026-12-02T10:15:30Z"));
        assertThat(EventTimes.common("2026-12-02T10:15:30+01:00[Europe/Paris]")).isNull();
    }
}
