package dev.lineagehub.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OffsetTrackerTest {

    private final OffsetTracker tracker = new OffsetTracker();

    @Test
    void commitsStopAtTheLowestUnresolvedOffset() {
        tracker.registered(10);
        tracker.registered(11);
        tracker.registered(14);
        assertThat(tracker.committable(15)).isEqualTo(10);
        tracker.resolved(11);
        assertThat(tracker.committable(15)).as("11 resolved, 10 not").isEqualTo(10);
        tracker.resolved(10);
        assertThat(tracker.committable(15)).isEqualTo(14);
        assertThat(tracker.resolvedUpTo()).isEqualTo(14);
        tracker.resolved(14);
        assertThat(tracker.committable(15)).isEqualTo(15);
        assertThat(tracker.resolvedUpTo()).as("gaps (compaction, markers) do not hold commits back").isEqualTo(15);
    }

    @Test
    void neverCommitsBeyondWhatStreamsAsked() {
        tracker.registered(3);
        tracker.resolved(3);
        assertThat(tracker.committable(2)).isEqualTo(2);
    }

    @Test
    void readingAnOffsetAgainHoldsCommitsBackInsteadOfFailing() {
        tracker.registered(5);
        tracker.resolved(5);
        tracker.registered(4);
        assertThat(tracker.committable(6)).isEqualTo(4);
        tracker.resolved(4);
        assertThat(tracker.resolvedUpTo()).isEqualTo(6);
    }

    @Test
    void stalledWhenTheOldestRecordDoesNotResolveWhateverTheOthersDo() throws InterruptedException {
        tracker.registered(1);
        tracker.registered(2);
        Thread.sleep(30);
        tracker.resolved(2);
        tracker.registered(3);
        long now = System.nanoTime();
        assertThat(tracker.stalled(now, 20_000_000)).isTrue();
        tracker.resolved(1);
        assertThat(tracker.stalled(System.nanoTime(), 20_000_000)).as("the commit point moved").isFalse();
        tracker.resolved(3);
        assertThat(tracker.stalled(System.nanoTime() + 1_000_000_000, 20_000_000)).as("nothing unresolved").isFalse();
    }
}
