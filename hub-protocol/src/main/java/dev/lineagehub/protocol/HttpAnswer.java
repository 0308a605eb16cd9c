package dev.lineagehub.protocol;

/**
 * What an HTTP status says about a call, the one table both sides read: the consumers (Marquez, GMS) and the SDK
 * (the hub, GMS). Each class says who can make the same call succeed; what each side then does is its own:
 * <ul>
 *   <li>{@link #AUTH} (401, 403): an operator, by fixing a credential or a policy. A consumer waits and tries
 *       again, so no record is dead-lettered for it; the SDK raises it to the worker, who alone can fix it.</li>
 *   <li>{@link #OVERLOAD} (408, 429, 503, 504): time. The server or a proxy in front of it is up but has more than
 *       it can take now: both sides wait (honouring {@code Retry-After}) and call less.</li>
 *   <li>{@link #SERVER_ERROR} (any other 5xx): possibly time; both sides try again with backoff.</li>
 *   <li>{@link #NOT_FOUND} (404) and {@link #CONFLICT} (409): nobody, for this request as it is; the SDK gives them
 *       types of their own, a consumer refuses the record.</li>
 *   <li>{@link #REJECTED} (any other 4xx): nobody: the request itself is wrong; a consumer dead-letters the record.</li>
 * </ul>
 */
public enum HttpAnswer {
    SUCCESS, AUTH, OVERLOAD, SERVER_ERROR, NOT_FOUND, CONFLICT, REJECTED;

    public static HttpAnswer of(int status) {
        if (status >= 200 && status < 300) {
            return SUCCESS;
        }
        return switch (status) {
            case 401, 403 -> AUTH;
            case 408, 429, 503, 504 -> OVERLOAD;
            case 404 -> NOT_FOUND;
            case 409 -> CONFLICT;
            default -> status >= 500 ? SERVER_ERROR : REJECTED;
        };
    }

    /** Whether waiting can make the same call succeed without anyone's help. */
    public boolean passesWithTime() {
        return this == OVERLOAD || this == SERVER_ERROR;
    }
}
