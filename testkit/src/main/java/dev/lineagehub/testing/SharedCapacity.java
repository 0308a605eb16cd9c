package dev.lineagehub.testing;

import java.time.Duration;
import java.util.PriorityQueue;

/**
 * A server's CPU as a test double models it: {@code cores} cores shared by every request in progress
 * (processor sharing, like threads of a CPU-bound server such as Marquez). Each request needs
 * {@code work} of one core; with n requests in progress each advances at {@code min(1, cores / n)},
 * so up to {@code cores} requests take {@code work} and more take longer, all alike, while the
 * throughput stays at {@code cores / work}. Event-driven: a waiting request sleeps until the earliest
 * finish, recomputed whenever a request arrives or leaves.
 */
final class SharedCapacity {

    private final int cores;
    private final long workNanos;
    private final PriorityQueue<long[]> inProgress = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
    /** Work every request in progress has received so far, in nanoseconds of one core. */
    private double served;
    private long lastNanos = System.nanoTime();

    SharedCapacity(double unitsPerSecond, int cores) {
        this.cores = cores;
        this.workNanos = (long) (cores * 1e9 / unitsPerSecond);
    }

    Duration work() {
        return Duration.ofNanos(workNanos);
    }

    /** Does one unit of work, sharing the cores with the requests in progress; returns when it is done. */
    synchronized void perform() throws InterruptedException {
        advance();
        // A request is done once the shared progress reaches its start plus its work: [finish, done flag].
        long[] request = {(long) served + workNanos, 0};
        inProgress.add(request);
        notifyAll();
        while (request[1] == 0) {
            long[] next = inProgress.peek();
            double rate = Math.min(1.0, (double) cores / inProgress.size());
            long waitNanos = Math.max(1, (long) ((next[0] - served) / rate));
            wait(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
            advance();
        }
    }

    /** Moves the shared progress to now and finishes every request that got its work. */
    private void advance() {
        long now = System.nanoTime();
        if (!inProgress.isEmpty()) {
            served += (now - lastNanos) * Math.min(1.0, (double) cores / inProgress.size());
        }
        lastNanos = now;
        boolean finished = false;
        while (!inProgress.isEmpty() && inProgress.peek()[0] <= served) {
            inProgress.poll()[1] = 1;
            finished = true;
        }
        if (finished) {
            notifyAll();
        }
    }
}
