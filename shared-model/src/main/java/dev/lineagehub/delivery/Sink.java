package dev.lineagehub.delivery;

import java.util.concurrent.CompletionStage;

/**
 * Where a consumer delivers one item. The stage completes normally once the sink acknowledged the
 * item, or exceptionally with a {@link DeliveryException} saying whether to retry. Any other failure
 * is treated as permanent for that item: it is dead-lettered with its stack trace.
 */
@FunctionalInterface
public interface Sink<T> {

    CompletionStage<Void> deliver(T item);
}
