package dev.lineagehub.otel.sink;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.ServerException;
import com.clickhouse.client.api.insert.InsertResponse;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.data.ClickHouseFormat;
import com.clickhouse.jdbc.ConnectionImpl;

import java.io.ByteArrayInputStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * One block of rows into one table as RowBinary through client-v2, which clickhouse-jdbc is built on and hands out
 * ({@code ConnectionImpl.getClient()}): the same connection settings, no second client to configure. The rows are
 * encoded for the table's own column types ({@code system.columns}, read once per table) before anything is sent, so a
 * value that cannot be written is the client's refusal ({@link RuntimeException}), never mistaken for ClickHouse
 * being away; ClickHouse's answers come back as {@link SQLException}s with its error code, as from the driver.
 */
final class RowBinaryInsert {

    /** Bounds one insert when the connection sets no socket timeout (client-v2's default waits for ever). */
    private static final Duration ANSWER_WITHIN = Duration.ofMinutes(5);

    private record Column(String name, RowBinary.Encoder encoder) {
    }

    private final String database;
    private final Map<String, Map<String, Column>> columnsByTable = new ConcurrentHashMap<>();

    RowBinaryInsert(String database) {
        this.database = database;
    }

    /**
     * Inserts the rows as one block with this deduplication token, synchronously whatever the user's profile says
     * (exactly once rests on a block acknowledged once stored and deduplicated by its token).
     *
     * @param columns the columns written, as the table names them; {@code values} gives a row's values in that order
     */
    <R> void insert(Connection connection, String table, List<String> columns, List<R> rows, Function<R, Object[]> values,
                    String deduplicationToken) throws SQLException {
        List<Column> written = columns(connection, table, columns);
        RowBinary.Buffer out = new RowBinary.Buffer();
        for (R row : rows) {
            Object[] cells = values.apply(row);
            for (int c = 0; c < written.size(); c++) {
                written.get(c).encoder().write(cells[c], out);
            }
        }
        Client client = connection.unwrap(ConnectionImpl.class).getClient();
        InsertSettings settings = new InsertSettings().setDeduplicationToken(deduplicationToken).serverSetting("async_insert", "0");
        List<String> quoted = written.stream().map(c -> "`" + c.name() + "`").toList();
        CompletableFuture<InsertResponse> answer;
        try {
            answer = client.insert(database + "." + table, quoted, new ByteArrayInputStream(out.array(), 0, out.size()),
                    ClickHouseFormat.RowBinary, settings);
        } catch (RuntimeException e) {
            throw answerOf(e);
        }
        try (InsertResponse ignored = answer.get(ANSWER_WITHIN.toMillis(), TimeUnit.MILLISECONDS)) {
            // stored and acknowledged
        } catch (ExecutionException e) {
            throw answerOf(e.getCause());
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new SQLException("ClickHouse did not answer an insert into " + table + " within " + ANSWER_WITHIN, "08000", 0, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while inserting into " + table, "08000", 0, e);
        } catch (Exception e) {
            throw answerOf(e);
        }
    }

    /** ClickHouse's refusal with its code, as the driver reports one; anything else is no answer (code 0). */
    private static SQLException answerOf(Throwable failure) {
        if (failure instanceof ServerException server && server.getCode() > 0 && server.getCode() != ServerException.CODE_UNKNOWN) {
            return new SQLException(server.getMessage(), "HY000", server.getCode(), server);
        }
        return new SQLException("no answer from ClickHouse: " + failure, "08000", 0, failure);
    }

    private List<Column> columns(Connection connection, String table, List<String> names) throws SQLException {
        Map<String, Column> known = columnsByTable.get(table);
        if (known == null || !known.keySet().containsAll(names)) {
            // First insert into the table, or it gained a column since (an ALTER while running): read them again.
            known = read(connection, table);
            columnsByTable.put(table, known);
        }
        List<Column> columns = new ArrayList<>(names.size());
        for (String name : names) {
            Column column = known.get(name);
            if (column == null) {
                throw new IllegalStateException(database + "." + table + " has no column " + name);
            }
            columns.add(column);
        }
        return columns;
    }

    private Map<String, Column> read(Connection connection, String table) throws SQLException {
        Map<String, Column> columns = new HashMap<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT name, type FROM system.columns WHERE database = '"
                     + database.replace("'", "") + "' AND table = '" + table.replace("'", "") + "'")) {
            while (rows.next()) {
                String name = rows.getString(1);
                String type = rows.getString(2);
                columns.put(name, new Column(name, lazily(type)));
            }
        }
        return columns;
    }

    /** A column of a type we do not write (an extra column of the exporter's) refuses only an insert that writes it. */
    private static RowBinary.Encoder lazily(String type) {
        try {
            return RowBinary.of(type);
        } catch (IllegalArgumentException unknown) {
            return (value, out) -> {
                throw unknown;
            };
        }
    }
}
