package dev.lineagehub.ingest.quota;

import java.time.Duration;

/** What a quota answers a write: go ahead, come back later, or never in one request. */
public sealed interface Admission {

    /** The write's cost was taken. */
    record Admitted() implements Admission {
    }

    /** Nothing was taken; the cost would be there after {@code after}. */
    record Later(Duration after) implements Admission {
    }

    /** The cost is above the burst: no wait makes it fit, the request must be split. */
    record TooLarge(long cost, int burst, Quotas.Measure measure) implements Admission {

        public String message() {
            return "a request of " + cost + " " + measure.unit() + " is above this key's burst of " + burst
                    + "; send at most " + burst + " per request";
        }
    }

    Admission ADMITTED = new Admitted();
}
