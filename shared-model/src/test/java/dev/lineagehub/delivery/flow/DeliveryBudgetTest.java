package dev.lineagehub.delivery.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

class DeliveryBudgetTest {

    private final List<String> switches = new ArrayList<>();
    private final DeliveryBudget budget = new DeliveryBudget(20, TimeUnit.MILLISECONDS);

    DeliveryBudgetTest() {
        budget.onPause(() -> switches.add("pause"), () -> switches.add("resume"));
    }

    @Test
    void callsBeyondTheCapacityWaitInLineAndTakeTheSlotOfTheCallThatEnded() {
        budget.resize(2);
        CompletableFuture<Void> first = budget.turnToCall();
        CompletableFuture<Void> second = budget.turnToCall();
        CompletableFuture<Void> third = budget.turnToCall();
        assertThat(first).isDone();
        assertThat(second).isDone();
        assertThat(third).isNotDone();
        budget.turnUnused();
        assertThat(third).isDone();
    }

    @Test
    void resizingWhileCallsWaitStartsThemOrLetsRunningCallsFinish() {
        budget.resize(1);
        budget.turnToCall();
        CompletableFuture<Void> waiting = budget.turnToCall();
        budget.resize(1);
        assertThat(waiting).as("a partition added slots").isDone();
        budget.resize(-2);
        CompletableFuture<Void> later = budget.turnToCall();
        budget.turnUnused();
        assertThat(later).as("no slots left: the ended call does not hand over").isNotDone();
        budget.turnUnused();
        budget.resize(1);
        assertThat(later).isDone();
    }

    @Test
    void anAdaptiveLimitBelowTheCapacityHoldsCallsBackUntilItGrows() {
        java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong();
        ConcurrencyLimit limit = new ConcurrencyLimit(clock::get);
        budget.resize(8);
        budget.adaptTo(limit);
        assertThat(budget.callLimit()).isEqualTo(1);
        CompletableFuture<Void> first = budget.turnToCall();
        DeliveryBudget.Call call = budget.callStarted();
        CompletableFuture<Void> second = budget.turnToCall();
        assertThat(first).isDone();
        assertThat(second).as("beyond the adaptive limit").isNotDone();
        // A window measuring the unloaded latency, then one answered as fast, using the whole limit: it grows.
        for (int i = 0; i < 2 * ConcurrencyLimit.SLOW_START_WINDOW - 1; i++) {
            clock.addAndGet(ConcurrencyLimit.MIN_WINDOW_SPAN.toNanos());
            limit.answered(5_000_000, 1);
        }
        clock.addAndGet(ConcurrencyLimit.MIN_WINDOW_SPAN.toNanos());
        budget.callAnswered(call, 5_000_000);
        assertThat(budget.callLimit()).isEqualTo(2);
        assertThat(second).as("the grown limit starts the waiting call").isDone();
        assertThat(budget.calling()).isEqualTo(1);
        budget.resize(-7);
        assertThat(budget.callLimit()).as("never above the capacity").isEqualTo(1);
    }

    @Test
    void aCallFarSlowerThanTheSinkUsuallyIsStopsHoldingTheAdaptiveLimit() throws InterruptedException {
        budget.resize(2);
        budget.adaptTo(new ConcurrencyLimit(System::nanoTime));
        assertThat(budget.turnToCall()).isDone();
        DeliveryBudget.Call huge = budget.callStarted();
        CompletableFuture<Void> next = budget.turnToCall();
        budget.releaseSlowCalls();
        assertThat(next).as("the limit is 1 and the call is young").isNotDone();
        Thread.sleep(DeliveryBudget.SLOW_CALL_MIN_MILLIS + 100);
        budget.releaseSlowCalls();
        assertThat(next).as("the slow call no longer counts against the limit").isDone();
        assertThat(budget.calling()).isEqualTo(2);
        CompletableFuture<Void> third = budget.turnToCall();
        assertThat(third).as("the capacity still bounds all calls, slow ones included").isNotDone();
        budget.callEnded(huge);
        assertThat(third).as("the slow call's end frees a capacity slot; the limit of 1 is still taken").isNotDone();
        budget.turnUnused();
        assertThat(third).isDone();
    }

    @Test
    void aFullBudgetPausesInsteadOfBlockingAndResumesAtHalf() throws InterruptedException {
        budget.resize(2);
        for (int i = 0; i < 4; i++) {
            budget.accept(0);
        }
        assertThat(budget.paused()).isFalse();
        long start = System.nanoTime();
        budget.accept(0);
        budget.accept(0);
        assertThat(System.nanoTime() - start).as("waited once, then accepted without waiting")
                .isLessThan(TimeUnit.MILLISECONDS.toNanos(500));
        assertThat(budget.paused()).isTrue();
        assertThat(switches).containsExactly("pause");
        budget.release(0);
        budget.release(0);
        assertThat(budget.paused()).as("above the refill mark").isTrue();
        budget.release(0);
        assertThat(budget.paused()).isFalse();
        assertThat(switches).containsExactly("pause", "resume");
    }

    @Test
    void boundedBytesPauseWhateverTheRecordCountAndResumeAtHalfTheBound() throws InterruptedException {
        budget.resize(100);
        budget.boundBytes(1_000);
        budget.accept(5_000);
        assertThat(budget.paused()).as("a record larger than the bound passes alone").isFalse();
        budget.release(5_000);
        budget.accept(600);
        budget.accept(600);
        assertThat(budget.paused()).as("the bound is checked when the next record comes").isFalse();
        budget.accept(10);
        assertThat(budget.paused()).as("1 200 bytes unresolved, far fewer records than the window takes").isTrue();
        budget.release(600);
        assertThat(budget.paused()).as("610 bytes: above half the bound").isTrue();
        budget.release(600);
        assertThat(budget.paused()).isFalse();
        assertThat(switches).containsExactly("pause", "resume");
        assertThatThrownBy(() -> budget.boundBytes(0)).hasMessageContaining("positive");
    }

    @Test
    void aDownSinkPausesUntilItIsUp() throws InterruptedException {
        budget.resize(4);
        budget.accept(0);
        budget.sinkStateChanged(SinkHealth.State.DOWN);
        assertThat(budget.paused()).isTrue();
        budget.accept(0);
        assertThat(budget.unresolved()).as("a paused budget still takes what Streams hands over").isEqualTo(2);
        budget.sinkStateChanged(SinkHealth.State.UP);
        assertThat(budget.paused()).isFalse();
        assertThat(switches).containsExactly("pause", "resume");
    }
}
