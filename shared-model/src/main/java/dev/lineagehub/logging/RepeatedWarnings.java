package dev.lineagehub.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;

import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Shows a library's warning once per interval (a minute) and counts the repeats it holds back:
 * while a broker or a sink is away, Kafka's clients warn about the same connection several times a
 * second from every client of the instance. The next time the warning is shown, a line says how many
 * were held back. Warnings are told apart by logger and message pattern, the "[Consumer clientId=...]"
 * prefix of Kafka's clients aside. Only loggers under {@link #setPrefixes prefixes} are filtered.
 */
public final class RepeatedWarnings extends TurboFilter {

    private static final int MAX_PATTERNS = 1_000;
    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(RepeatedWarnings.class);

    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final LongSupplier nanoClock;
    private volatile String[] prefixes = {"org.apache.kafka", "com.clickhouse"};
    private volatile long intervalNanos = Duration.ofMinutes(1).toNanos();

    public RepeatedWarnings() {
        this(System::nanoTime);
    }

    RepeatedWarnings(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** Comma-separated logger name prefixes whose warnings are filtered. */
    public void setPrefixes(String list) {
        this.prefixes = list.split("\\s*,\\s*");
    }

    public void setIntervalMillis(long millis) {
        this.intervalNanos = Duration.ofMillis(millis).toNanos();
    }

    private static final class Window {
        boolean shown;
        long shownAt;
        int heldBack;
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (level == null || format == null || !level.isGreaterOrEqual(Level.WARN) || !filtered(logger.getName())) {
            return FilterReply.NEUTRAL;
        }
        if (windows.size() > MAX_PATTERNS) {
            windows.clear();
        }
        long now = nanoClock.getAsLong();
        String key = logger.getName() + ' ' + withoutClientPrefix(format);
        int heldBack;
        Window window = windows.computeIfAbsent(key, k -> new Window());
        synchronized (window) {
            if (window.shown && now - window.shownAt < intervalNanos) {
                window.heldBack++;
                return FilterReply.DENY;
            }
            heldBack = window.heldBack;
            window.heldBack = 0;
            window.shown = true;
            window.shownAt = now;
        }
        if (heldBack > 0) {
            LOG.warn("{} more warnings like the next one from {} were not shown in the last {} s", heldBack, logger.getName(),
                    Duration.ofNanos(intervalNanos).toSeconds());
        }
        return FilterReply.NEUTRAL;
    }

    private boolean filtered(String loggerName) {
        for (String prefix : prefixes) {
            if (loggerName.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** Kafka's clients put "[Consumer clientId=..., groupId=...] " in front of every pattern. */
    private static String withoutClientPrefix(String format) {
        if (format.startsWith("[")) {
            int end = format.indexOf("] ");
            if (end > 0) {
                return format.substring(end + 2);
            }
        }
        return format;
    }
}
