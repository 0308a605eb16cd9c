package dev.lineagehub.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lineagehub.sdk.client.HubException;
import dev.lineagehub.sdk.client.Transport;

import io.openlineage.client.OpenLineage;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Keeps what it is sent; fails the next calls with scripted errors first. */
class RecordingTransport implements Transport {

    final List<OpenLineage.RunEvent> sent = new CopyOnWriteArrayList<>();
    final AtomicInteger attempts = new AtomicInteger();
    private final Deque<HubException> failures = new ArrayDeque<>();
    private volatile HubException always;
    volatile boolean closed;

    synchronized RecordingTransport failNext(int times, HubException failure) {
        for (int i = 0; i < times; i++) {
            failures.add(failure);
        }
        return this;
    }

    RecordingTransport failAlways(HubException failure) {
        always = failure;
        return this;
    }

    @Override
    public void send(OpenLineage.RunEvent event) {
        attempts.incrementAndGet();
        HubException failure;
        synchronized (this) {
            failure = failures.poll();
        }
        if (failure == null) {
            failure = always;
        }
        if (failure != null) {
            throw failure;
        }
        sent.add(event);
    }

    /** What was sent once the hub delivered all it had queued. */
    List<OpenLineage.RunEvent> sentBy(LineageHub hub) throws InterruptedException {
        assertThat(hub.flush(Duration.ofSeconds(5))).isTrue();
        return sent;
    }

    List<String> types() {
        return sent.stream().map(e -> e.getEventType() + " " + e.getJob().getName()).toList();
    }

    @Override
    public String describe() {
        return "recording";
    }

    @Override
    public void close() {
        closed = true;
    }
}
