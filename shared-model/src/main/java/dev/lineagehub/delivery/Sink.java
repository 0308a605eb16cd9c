package dev.lineagehub.delivery;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where a consumer delivers one item. The stage completes normally once the sink acknowledged the
 * item, or exceptionally with a {@link DeliveryException} saying whether to retry. Any other failure,
 * thrown or returned, is treated as permanent for that item: it is dead-lettered with its stack trace.
 * Implementations must not block the calling thread on I/O, nor do heavy work on it (mapping,
 * serialising): the runtime calls {@link #deliver} from the stream thread or from the thread that
 * completed the previous call, which may be a client's I/O thread. Such work goes to the sink's own
 * executor.
 */
@FunctionalInterface
public interface Sink<T> {

    CompletionStage<Void> deliver(T item);

    /**
     * Asks the sink whether it is up, without delivering anything: called once at a time while the
     * sink is considered down ({@link SinkHealth}). The default says yes, so that after a pause the
     * waiting records try again themselves.
     */
    default CompletionStage<Void> probe() {
        return CompletableFuture.completedFuture(null);
    }
}
