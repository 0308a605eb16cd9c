package dev.lineagehub.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition; integration tests wait on observable outcomes, never on fixed sleeps. */
public final class Await {

    private Await() {
    }

    /** Waits up to 10 s. */
    public static void until(BooleanSupplier condition, String whatWasExpected) {
        until(Duration.ofSeconds(10), condition, () -> whatWasExpected);
    }

    public static void until(Duration timeout, BooleanSupplier condition, Supplier<String> whatWasExpected) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Not reached within " + timeout + ": " + whatWasExpected.get());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }
}
