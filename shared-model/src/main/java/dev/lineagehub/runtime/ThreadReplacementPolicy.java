package dev.lineagehub.runtime;

import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What to do when a stream thread dies: replace it, since its uncommitted records are simply read
 * again, unless threads keep dying — then stop the client so liveness fails and the orchestrator
 * restarts the process with a clean slate.
 */
final class ThreadReplacementPolicy implements StreamsUncaughtExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ThreadReplacementPolicy.class);

    private final int maxReplacements;
    private final Duration window;
    private final Deque<Long> recent = new ArrayDeque<>();

    ThreadReplacementPolicy(int maxReplacements, Duration window) {
        this.maxReplacements = maxReplacements;
        this.window = window;
    }

    @Override
    public synchronized StreamThreadExceptionResponse handle(Throwable exception) {
        long now = System.nanoTime();
        forgetOld(now);
        if (recent.size() >= maxReplacements) {
            LOG.error("Stream thread failed {} times within {}; shutting the consumer down", recent.size() + 1, window, exception);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        recent.addLast(now);
        LOG.error("Stream thread failed; replacing it. Its uncommitted records will be processed again", exception);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    /** Stream threads that died within the window. */
    synchronized int recentFailures() {
        forgetOld(System.nanoTime());
        return recent.size();
    }

    /** More than one thread died within the window: replacing them is not helping. */
    boolean crashLooping() {
        return recentFailures() > 1;
    }

    private void forgetOld(long now) {
        while (!recent.isEmpty() && now - recent.peekFirst() > window.toNanos()) {
            recent.removeFirst();
        }
    }
}
