package dev.lineagehub.ingest.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lineagehub.ingest.auth.Caller;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

class AuditLogTest {

    /**
     * Collects the audit lines with the thread that wrote each; can hold the writer to fill the queue
     * (unsynchronized: a held writer must not hold the caller that writes its own line).
     */
    private static final class Lines extends UnsynchronizedAppenderBase<ILoggingEvent> {
        final List<String> runIds = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch holding = new CountDownLatch(1);
        volatile boolean hold;

        @Override
        protected void append(ILoggingEvent event) {
            if (hold && Thread.currentThread().getName().equals("ingest-audit")) {
                holding.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            runIds.add(String.valueOf(event.getArgumentArray()[3]));
            threads.add(Thread.currentThread().getName());
        }
    }

    private final Logger logger = (Logger) LoggerFactory.getLogger("lineagehub.audit");
    private final Lines lines = new Lines();

    AuditLogTest() {
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void detach() {
        lines.release.countDown();
        logger.detachAppender(lines);
    }

    private static void record(AuditLog audit, int i) {
        audit.record(Caller.ANONYMOUS, "lineage", "ns", "run-" + i, "START", 201, "accepted");
    }

    @Test
    void linesAreWrittenOffTheCallersThreadInOrderAndCloseWritesWhatIsQueued() throws Exception {
        AuditLog audit = new AuditLog(null, "");
        for (int i = 0; i < 5_000; i++) {
            record(audit, i);
        }
        audit.close();
        assertThat(lines.runIds).hasSize(5_000);
        for (int i = 0; i < 5_000; i++) {
            assertThat(lines.runIds.get(i)).isEqualTo("run-" + i);
        }
        assertThat(lines.threads).containsOnly("ingest-audit");
        // After close a record is still written, by its caller.
        record(audit, 5_000);
        assertThat(lines.runIds).last().isEqualTo("run-5000");
        assertThat(lines.threads).last().isEqualTo(Thread.currentThread().getName());
    }

    @Test
    void aFullQueueMakesTheCallerWriteItsOwnLineInsteadOfDroppingIt() throws Exception {
        AuditLog audit = new AuditLog(null, "");
        lines.hold = true;
        record(audit, 0); // taken by the writer, which the appender then holds
        assertThat(lines.holding.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 1; i <= AuditLog.QUEUED; i++) {
            record(audit, i);
        }
        assertThat(lines.runIds).isEmpty();
        record(audit, AuditLog.QUEUED + 1);
        assertThat(lines.runIds).containsExactly("run-" + (AuditLog.QUEUED + 1));
        lines.release.countDown();
        audit.close();
        assertThat(lines.runIds).hasSize(AuditLog.QUEUED + 2);
    }
}
