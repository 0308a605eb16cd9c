package dev.lineagehub.otel.sink;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A table's {@code PARTITION BY} expression evaluated on a row's time as ClickHouse evaluates it, so
 * that a batch can be cut along the table's partitions ({@code max_partitions_per_insert_block}).
 * Known: no partitioning, and one time function of one column ({@code toDate}, {@code toStartOfWeek},
 * {@code toYYYYMM}, ... the exporter's tables and their usual variants), in the column's time zone or
 * else the server's. Anything else is {@link #isKnown() unknown}: each row may then be a partition of its own.
 *
 * <p>The value is the epoch second at which the row's partition starts; only equality matters.
 */
final class PartitionKey {

    private static final Pattern CALL = Pattern.compile("(\\w+)\\(\\s*`?(\\w+)`?\\s*(?:,\\s*(\\d+)\\s*)?\\)");

    private enum Bucket { NONE, HOUR, DAY, WEEK_SUNDAY, WEEK_MONDAY, MONTH, YEAR, UNKNOWN }

    private final String expression;
    private final Bucket bucket;
    private final String column;
    private final ZoneId zone;

    private PartitionKey(String expression, Bucket bucket, String column, ZoneId zone) {
        this.expression = expression;
        this.bucket = bucket;
        this.column = column;
        this.zone = zone;
    }

    /**
     * @param expression {@code system.tables.partition_key}
     * @param zone       the time zone ClickHouse applies: the column type's, else the session's {@code timezone()}
     */
    static PartitionKey parse(String expression, ZoneId zone) {
        String text = expression == null ? "" : expression.strip();
        if (text.isEmpty() || text.equals("tuple()")) {
            return new PartitionKey(text, Bucket.NONE, null, zone);
        }
        Matcher call = CALL.matcher(text);
        if (!call.matches()) {
            return unknown(text);
        }
        String mode = call.group(3);
        Bucket bucket = switch (call.group(1)) {
            case "toDate", "toDate32", "toStartOfDay", "toYYYYMMDD" -> mode == null ? Bucket.DAY : Bucket.UNKNOWN;
            case "toStartOfHour" -> mode == null ? Bucket.HOUR : Bucket.UNKNOWN;
            case "toMonday" -> mode == null ? Bucket.WEEK_MONDAY : Bucket.UNKNOWN;
            // Week mode bit 0 chooses Monday as the first day; 0 (Sunday) is the default.
            case "toStartOfWeek" -> mode != null && (Integer.parseInt(mode) & 1) == 1 ? Bucket.WEEK_MONDAY : Bucket.WEEK_SUNDAY;
            case "toYYYYMM", "toStartOfMonth" -> mode == null ? Bucket.MONTH : Bucket.UNKNOWN;
            case "toYear", "toStartOfYear" -> mode == null ? Bucket.YEAR : Bucket.UNKNOWN;
            default -> Bucket.UNKNOWN;
        };
        return bucket == Bucket.UNKNOWN ? unknown(text) : new PartitionKey(text, bucket, call.group(2), zone);
    }

    static PartitionKey unknown(String expression) {
        return new PartitionKey(expression, Bucket.UNKNOWN, null, ZoneId.of("UTC"));
    }

    /** The same function on another column: a materialized view's target partitioned on what the view computes from it. */
    PartitionKey on(String otherColumn) {
        return bucket == Bucket.NONE || bucket == Bucket.UNKNOWN ? this : new PartitionKey(expression, bucket, otherColumn, zone);
    }

    boolean isKnown() {
        return bucket != Bucket.UNKNOWN;
    }

    /** The column the key reads; null when the table is not partitioned or the key is unknown. */
    String column() {
        return column;
    }

    /** The row's partition; empty when the key is unknown. */
    OptionalLong of(Instant time) {
        if (bucket == Bucket.UNKNOWN) {
            return OptionalLong.empty();
        }
        if (bucket == Bucket.NONE) {
            return OptionalLong.of(0);
        }
        ZonedDateTime local = time.atZone(zone);
        ZonedDateTime start = switch (bucket) {
            case HOUR -> local.truncatedTo(ChronoUnit.HOURS);
            case DAY -> local.truncatedTo(ChronoUnit.DAYS);
            case WEEK_SUNDAY -> local.truncatedTo(ChronoUnit.DAYS).with(TemporalAdjusters.previousOrSame(DayOfWeek.SUNDAY));
            case WEEK_MONDAY -> local.truncatedTo(ChronoUnit.DAYS).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> local.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
            case YEAR -> local.truncatedTo(ChronoUnit.DAYS).withDayOfYear(1);
            default -> throw new IllegalStateException(bucket.toString());
        };
        return OptionalLong.of(start.toEpochSecond());
    }

    @Override
    public String toString() {
        return expression.isEmpty() ? "no partitioning" : expression + (isKnown() ? " in " + zone : " (not evaluated here)");
    }

    /**
     * The time zone of a column type such as {@code DateTime64(9, 'Asia/Kolkata')}, else {@code fallback};
     * null when Java does not know the zone (the key is then unknown).
     */
    static ZoneId zoneOf(String columnType, ZoneId fallback) {
        Matcher quoted = Pattern.compile("'([^']+)'").matcher(columnType == null ? "" : columnType);
        if (!quoted.find()) {
            return fallback;
        }
        try {
            return ZoneId.of(quoted.group(1));
        } catch (RuntimeException unknownToJava) {
            return null;
        }
    }
}
