package dev.lineagehub.otel.sink;

import java.sql.SQLException;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a failed ClickHouse call says. Whether the rows are to blame is not read from it: the
 * {@link BatchInserter} asks ClickHouse the same statement without rows (a control) and watches
 * whether the refusal repeats. This only tells the three kinds of answer apart:
 * <ul>
 *   <li>{@link Kind#UNREACHABLE}: no answer from ClickHouse (connection, timeout, a proxy's 5xx without
 *       ClickHouse's exception code) — the sink is unwell;</li>
 *   <li>{@link Kind#LATER}: ClickHouse answered that it cannot now (memory, simultaneous queries, its own
 *       timeouts, read-only, keeper) — the same statement is retried as it is, with its token, and is
 *       never split or dead-lettered for it;</li>
 *   <li>{@link Kind#REFUSED}: ClickHouse refused the statement (or the client could not send its values).</li>
 * </ul>
 */
record Refusal(Kind kind, int code, String name, String message) {

    enum Kind { UNREACHABLE, LATER, REFUSED }

    /**
     * Server codes that mean "not now": TIMEOUT_EXCEEDED, READONLY, TOO_MANY_SIMULTANEOUS_QUERIES,
     * NO_FREE_CONNECTION, SOCKET_TIMEOUT, NETWORK_ERROR, MEMORY_LIMIT_EXCEEDED, TABLE_IS_READ_ONLY,
     * UNEXPECTED_END_OF_FILE, ATTEMPT_TO_READ_AFTER_EOF, ABORTED, QUERY_WAS_CANCELLED,
     * UNKNOWN_STATUS_OF_INSERT, SYSTEM_ERROR, TOO_FEW_LIVE_REPLICAS, KEEPER_EXCEPTION, NO_ZOOKEEPER.
     * This list can only delay a dead letter, never cause one: a code missing here is still retried
     * while the control insert is refused too, and is isolated only when it repeats for the same rows.
     */
    private static final Set<Integer> NOT_NOW = Set.of(159, 164, 202, 203, 209, 210, 241, 242, 3, 32, 236, 394, 319, 425,
            285, 999, 225);
    private static final Pattern NAME = Pattern.compile("\\(([A-Z][A-Z0-9_]+)\\)");
    private static final int MESSAGE_CHARS = 500;

    static Refusal of(SQLException e) {
        int code = e.getErrorCode();
        if (code <= 0) {
            return new Refusal(Kind.UNREACHABLE, 0, "", String.valueOf(e.getMessage()));
        }
        return new Refusal(NOT_NOW.contains(code) ? Kind.LATER : Kind.REFUSED, code, nameIn(e.getMessage()), firstLine(e.getMessage()));
    }

    /** The driver could not turn the rows into a request: as a refusal, the control tells whether the rows are to blame. */
    static Refusal ofClient(RuntimeException e) {
        return new Refusal(Kind.REFUSED, 0, "", "client: " + e);
    }

    /** What a dead letter's sink status header says: {@code ClickHouse code 469 VIOLATED_CONSTRAINT}. */
    String status() {
        return code == 0 ? "ClickHouse client" : "ClickHouse code " + code + (name.isEmpty() ? "" : " " + name);
    }

    /** The code's name, which ClickHouse writes last in parentheses: "... (TOO_MANY_PARTS)". */
    private static String nameIn(String message) {
        Matcher found = NAME.matcher(message == null ? "" : message);
        String last = "";
        while (found.find()) {
            last = found.group(1);
        }
        return last;
    }

    @Override
    public String toString() {
        return kind == Kind.UNREACHABLE ? "no answer: " + message : status() + ": " + message;
    }

    private static String firstLine(String message) {
        String text = message == null ? "" : message.strip();
        int newline = text.indexOf('\n');
        String line = newline < 0 ? text : text.substring(0, newline);
        return line.length() <= MESSAGE_CHARS ? line : line.substring(0, MESSAGE_CHARS) + "...";
    }
}
