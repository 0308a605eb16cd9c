package dev.lineagehub.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.spi.FilterReply;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A warning repeated while a broker is away shows once a minute; other levels and loggers pass. */
class RepeatedWarningsTest {

    private final AtomicLong now = new AtomicLong();
    private final RepeatedWarnings filter = new RepeatedWarnings(now::get);
    private final LoggerContext context = new LoggerContext();
    private final Logger network = context.getLogger("org.apache.kafka.clients.NetworkClient");

    private FilterReply warn(Logger logger, String format) {
        return filter.decide(null, logger, Level.WARN, format, new Object[] {1}, null);
    }

    @Test
    void showsARepeatedWarningOncePerIntervalWhateverClientLogsIt() {
        String producer = "[Producer clientId=otel-dead-letters] Connection to node {} could not be established.";
        String consumer = "[Consumer clientId=otel-StreamThread-1-consumer, groupId=otel] Connection to node {} could not be established.";
        assertThat(warn(network, producer)).isEqualTo(FilterReply.NEUTRAL);
        for (int i = 0; i < 400; i++) {
            now.addAndGet(Duration.ofMillis(100).toNanos());
            // 40 s of warnings, 10 a second, from two clients: held back.
            assertThat(warn(network, i % 2 == 0 ? consumer : producer)).isEqualTo(FilterReply.DENY);
        }
        now.addAndGet(Duration.ofSeconds(20).toNanos());
        assertThat(warn(network, consumer)).as("a minute on: shown again").isEqualTo(FilterReply.NEUTRAL);
        assertThat(warn(network, consumer)).isEqualTo(FilterReply.DENY);
    }

    @Test
    void otherPatternsLevelsAndLoggersAreNotHeldBack() {
        assertThat(warn(network, "Connection to node {} could not be established.")).isEqualTo(FilterReply.NEUTRAL);
        assertThat(warn(network, "Bootstrap broker {} disconnected")).isEqualTo(FilterReply.NEUTRAL);
        assertThat(filter.decide(null, network, Level.INFO, "Connection to node {} could not be established.", null, null))
                .isEqualTo(FilterReply.NEUTRAL);
        Logger ours = context.getLogger("dev.lineagehub.delivery.DeliveryTask");
        assertThat(warn(ours, "Retrying {}")).isEqualTo(FilterReply.NEUTRAL);
        assertThat(warn(ours, "Retrying {}")).isEqualTo(FilterReply.NEUTRAL);
    }
}
