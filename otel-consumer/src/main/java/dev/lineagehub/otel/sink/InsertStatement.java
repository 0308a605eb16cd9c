package dev.lineagehub.otel.sink;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One INSERT of a batch: one table, at most the partitions one insert may touch, the rows some of the
 * batch's records have for that table. Its token is the batch's (with the chunk's number when the
 * batch needed several), so the same batch formed again sends the same statements with the same tokens.
 *
 * <p>A statement ClickHouse refuses for its rows is cut in {@link #halves()}: each half keeps the
 * statement's token followed by the offsets of its first and last record, a name only that half can have.
 */
final class InsertStatement<R> {

    private final String table;
    private final String token;
    private final String rootToken;
    private final Map<QueuedRecord<R>, List<R>> rowsByRecord;
    private int refusals;

    InsertStatement(String table, String token, Map<QueuedRecord<R>, List<R>> rowsByRecord) {
        this(table, token, token, rowsByRecord);
    }

    private InsertStatement(String table, String token, String rootToken, Map<QueuedRecord<R>, List<R>> rowsByRecord) {
        this.table = table;
        this.token = token;
        this.rootToken = rootToken;
        this.rowsByRecord = rowsByRecord;
    }

    String table() {
        return table;
    }

    String token() {
        return token;
    }

    /** A half made while isolating refused rows, rather than a statement of the batch as planned. */
    boolean isPiece() {
        return !token.equals(rootToken);
    }

    List<QueuedRecord<R>> records() {
        return List.copyOf(rowsByRecord.keySet());
    }

    List<R> rows() {
        List<R> rows = new ArrayList<>();
        rowsByRecord.values().forEach(rows::addAll);
        return rows;
    }

    /** Counts a refusal of this very statement; returns how many there were. */
    int refused() {
        return ++refusals;
    }

    /** The first and the second half of its records (at least two), each with the rows they have here. */
    List<InsertStatement<R>> halves() {
        List<QueuedRecord<R>> records = records();
        int middle = records.size() / 2;
        return List.of(piece(records.subList(0, middle)), piece(records.subList(middle, records.size())));
    }

    private InsertStatement<R> piece(List<QueuedRecord<R>> records) {
        Map<QueuedRecord<R>, List<R>> rows = new LinkedHashMap<>();
        records.forEach(record -> rows.put(record, rowsByRecord.get(record)));
        String name = rootToken + "/" + records.get(0).offset() + "-" + records.get(records.size() - 1).offset();
        return new InsertStatement<>(table, name, rootToken, rows);
    }

    @Override
    public String toString() {
        return table + " " + token;
    }
}
