package dev.lineagehub.openlineage;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;

/**
 * An {@code eventTime} string as Marquez reads it: ISO-8601 with an offset or a zone, or without either
 * (then UTC). The shape clients write, {@code 2026-12-02T10:15:30.123Z} or with {@code ±HH:MM}, is read
 * by hand: the formatter's general parse was a third of parsing an event in a profile of the consumer.
 * Any other shape, and any value out of range, goes to the formatter, which decides.
 */
final class EventTimes {

    private static final int MAX_FRACTION_DIGITS = 9;

    private EventTimes() {
    }

    static Instant parse(String text) {
        Instant common = common(text);
        if (common != null) {
            return common;
        }
        TemporalAccessor parsed = DateTimeFormatter.ISO_DATE_TIME.parseBest(text, ZonedDateTime::from, LocalDateTime::from);
        return parsed instanceof ZonedDateTime zoned ? zoned.toInstant() : ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
    }

    /** {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}][Z|±HH:MM]} with valid values, else null. */
    static Instant common(String text) {
        int length = text.length();
        if (length < 19 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        if ((year | month | day | hour | minute | second) < 0) {
            return null;
        }
        int at = 19;
        int nanos = 0;
        if (at < length && text.charAt(at) == '.') {
            int start = ++at;
            while (at < length && at - start < MAX_FRACTION_DIGITS && isDigit(text.charAt(at))) {
                nanos = nanos * 10 + text.charAt(at++) - '0';
            }
            if (at == start || at < length && isDigit(text.charAt(at))) {
                return null;
            }
            for (int scale = at - start; scale < MAX_FRACTION_DIGITS; scale++) {
                nanos *= 10;
            }
        }
        try {
            ZoneOffset offset = offset(text, at);
            return offset == null ? null : LocalDateTime.of(year, month, day, hour, minute, second, nanos).toInstant(offset);
        } catch (DateTimeException outOfRange) {
            return null;
        }
    }

    private static ZoneOffset offset(String text, int at) {
        int length = text.length();
        if (at == length || at == length - 1 && text.charAt(at) == 'Z') {
            return ZoneOffset.UTC;
        }
        char sign = text.charAt(at);
        if ((sign != '+' && sign != '-') || length != at + 6 || text.charAt(at + 3) != ':') {
            return null;
        }
        int hours = digits(text, at + 1, at + 3);
        int minutes = digits(text, at + 4, at + 6);
        if ((hours | minutes) < 0) {
            return null;
        }
        return sign == '+' ? ZoneOffset.ofHoursMinutes(hours, minutes) : ZoneOffset.ofHoursMinutes(-hours, -minutes);
    }

    /** The decimal number in {@code [from, to)}, or -1 if any of it is not a digit. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            value = value * 10 + c - '0';
        }
        return value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
