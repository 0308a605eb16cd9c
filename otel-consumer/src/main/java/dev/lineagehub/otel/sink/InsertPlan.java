package dev.lineagehub.otel.sink;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * Cuts a batch into its INSERT statements: one per table, or several when its rows fall on more
 * partitions than one insert may touch. A batch of old telemetry spread over months is then several
 * inserts ClickHouse takes, instead of one it refuses for good ("Too many partitions for single INSERT
 * block"). The cut depends only on the rows and the limit, so a batch formed again is cut the same way.
 */
final class InsertPlan {

    private InsertPlan() {
    }

    private record Entry<R>(int position, QueuedRecord<R> record, R row) {
    }

    static <R> List<InsertStatement<R>> statements(List<QueuedRecord<R>> records, BatchInserter.Table<R> table,
                                                  Partitioning partitioning, String token) {
        Map<String, List<Entry<R>>> byTable = new LinkedHashMap<>();
        int position = 0;
        for (QueuedRecord<R> record : records) {
            for (R row : record.rows()) {
                byTable.computeIfAbsent(table.tableOf(row), t -> new ArrayList<>()).add(new Entry<>(position++, record, row));
            }
        }
        List<InsertStatement<R>> statements = new ArrayList<>();
        byTable.forEach((name, entries) -> {
            List<List<Entry<R>>> chunks = chunks(entries, partitioning.of(name), partitioning.maxPerInsert(), table);
            for (int i = 0; i < chunks.size(); i++) {
                statements.add(new InsertStatement<>(name, chunks.size() == 1 ? token : token + "." + i, rowsByRecord(chunks.get(i))));
            }
        });
        return statements;
    }

    /**
     * Groups the rows by partition (in every key the table is counted against) and fills each chunk
     * with whole partitions, in partition order, while every key stays within the limit. A row whose
     * partition cannot be told counts as a partition of its own.
     */
    private static <R> List<List<Entry<R>>> chunks(List<Entry<R>> entries, List<PartitionKey> keys, int max,
                                                   BatchInserter.Table<R> table) {
        if (max <= 0) {
            return List.of(entries);
        }
        TreeMap<long[], List<Entry<R>>> byPartition = new TreeMap<>(Arrays::compare);
        long unknown = Long.MIN_VALUE;
        for (Entry<R> entry : entries) {
            long[] partition = new long[keys.size()];
            boolean known = true;
            for (int k = 0; k < keys.size() && known; k++) {
                OptionalLong value = partitionOf(keys.get(k), entry.row(), table);
                known = value.isPresent();
                partition[k] = value.orElse(0);
            }
            if (!known) {
                Arrays.fill(partition, unknown++);
            }
            byPartition.computeIfAbsent(partition, p -> new ArrayList<>()).add(entry);
        }
        List<List<Entry<R>>> chunks = new ArrayList<>();
        List<Entry<R>> chunk = new ArrayList<>();
        List<Set<Long>> touched = new ArrayList<>();
        keys.forEach(key -> touched.add(new HashSet<>()));
        for (Map.Entry<long[], List<Entry<R>>> partition : byPartition.entrySet()) {
            if (!chunk.isEmpty() && !fits(touched, partition.getKey(), max)) {
                chunks.add(chunk);
                chunk = new ArrayList<>();
                touched.forEach(Set::clear);
            }
            for (int k = 0; k < keys.size(); k++) {
                touched.get(k).add(partition.getKey()[k]);
            }
            chunk.addAll(partition.getValue());
        }
        chunks.add(chunk);
        return chunks;
    }

    private static <R> OptionalLong partitionOf(PartitionKey key, R row, BatchInserter.Table<R> table) {
        if (!key.isKnown()) {
            return OptionalLong.empty();
        }
        if (key.column() == null) {
            return key.of(Instant.EPOCH);
        }
        return table.time(row, key.column()).map(key::of).orElse(OptionalLong.empty());
    }

    private static boolean fits(List<Set<Long>> touched, long[] partition, int max) {
        for (int k = 0; k < partition.length; k++) {
            Set<Long> seen = touched.get(k);
            if (!seen.contains(partition[k]) && seen.size() >= max) {
                return false;
            }
        }
        return true;
    }

    private static <R> Map<QueuedRecord<R>, List<R>> rowsByRecord(List<Entry<R>> chunk) {
        List<Entry<R>> inOrder = new ArrayList<>(chunk);
        inOrder.sort((a, b) -> Integer.compare(a.position(), b.position()));
        Map<QueuedRecord<R>, List<R>> rows = new LinkedHashMap<>();
        inOrder.forEach(entry -> rows.computeIfAbsent(entry.record(), r -> new ArrayList<>()).add(entry.row()));
        return rows;
    }
}
