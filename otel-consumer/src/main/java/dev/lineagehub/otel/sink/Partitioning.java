package dev.lineagehub.otel.sink;

import java.util.List;
import java.util.Map;

/**
 * How the tables rows are inserted into are partitioned, as read from ClickHouse when the schema is
 * checked: per table the keys an insert into it is counted against (its own, and those of the tables
 * its materialized views fill from the same time), and how many partitions one insert may touch
 * ({@code max_partitions_per_insert_block}; 0 for no limit).
 */
record Partitioning(Map<String, List<PartitionKey>> keys, int maxPerInsert) {

    static final Partitioning NONE = new Partitioning(Map.of(), 0);

    List<PartitionKey> of(String table) {
        return keys.getOrDefault(table, List.of(PartitionKey.unknown("")));
    }
}
