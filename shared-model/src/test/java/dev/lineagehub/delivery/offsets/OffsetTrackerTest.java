package dev.lineagehub.delivery.offsets;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

class OffsetTrackerTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final OffsetTracker tracker = new OffsetTracker(now::get);

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
    void stalledWhenTheOldestRecordDoesNotResolveWhateverTheOthersDo() {
        tracker.registered(1);
        tracker.registered(2);
        now.addAndGet(30);
        tracker.resolved(2);
        tracker.registered(3);
        assertThat(tracker.stalled(now.get(), 30)).as("just at the timeout").isFalse();
        assertThat(tracker.stalled(now.get(), 29)).as("just past it").isTrue();
        tracker.resolved(1);
        assertThat(tracker.stalled(now.get(), 29)).as("the commit point moved").isFalse();
        now.addAndGet(30);
        assertThat(tracker.stalled(now.get(), 29)).as("3 now the oldest, for 30").isTrue();
        tracker.resolved(3);
        assertThat(tracker.stalled(now.get() + 1_000_000_000, 20)).as("nothing unresolved").isFalse();
    }
}
