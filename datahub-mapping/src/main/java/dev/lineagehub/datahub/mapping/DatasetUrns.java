package dev.lineagehub.datahub.mapping;

import com.linkedin.common.urn.DataPlatformUrn;
import com.linkedin.common.urn.DatasetUrn;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * OpenLineage dataset (namespace, name) to a DataHub dataset URN, following DataHub's own
 * OpenLineage converter so both produce the same URNs: the namespace scheme names the platform, and
 * for object stores the bucket becomes part of the name. Characters that delimit URN parts are
 * percent-encoded ({@link UrnParts}); a URN longer than GMS takes is an {@link InvalidUrnException}.
 */
public final class DatasetUrns {

    private static final Map<String, String> PLATFORM_ALIASES = Map.ofEntries(
            Map.entry("awsathena", "athena"), Map.entry("sqlserver", "mssql"), Map.entry("postgresql", "postgres"),
            Map.entry("s3a", "s3"), Map.entry("s3n", "s3"), Map.entry("gs", "gcs"),
            Map.entry("abfs", "abs"), Map.entry("abfss", "abs"), Map.entry("wasb", "abs"), Map.entry("wasbs", "abs"));
    /** Object stores: the authority (bucket, container) is part of the dataset's name. */
    private static final Set<String> BUCKET_PLATFORMS = Set.of("s3", "gcs", "abs");
    /** File systems: the name is the path, leading slash included; the authority (namenode, host) is not part of it. */
    private static final Set<String> PATH_PLATFORMS = Set.of("hdfs", "file", "dbfs");

    private final MappingOptions options;

    public DatasetUrns(MappingOptions options) {
        this.options = options;
    }

    /**
     * The URN of a dataset as DataHub's catalog names it, by DataHub's converter's rule: a {@code TABLE} in its symlinks
     * facet is that table, in AWS Glue when the symlink's namespace is a Glue catalog ({@code arn:aws:glue:…},
     * {@code aws:glue:…}), else in Hive, whatever the namespace says (Spark names the warehouse location there:
     * {@code hdfs://nn/user/hive/warehouse}, {@code file:/tmp/spark-warehouse}); a name with Glue's {@code table/} prefix
     * loses it and has {@code /} as {@code .}. One exception, on purpose: a Kafka topic (a Flink catalog's Kafka
     * table) keeps its own URN, where the converter makes a Hive table of it that matches nothing.
     */
    public DatasetUrn urn(io.openlineage.client.OpenLineage.Dataset dataset) {
        io.openlineage.client.OpenLineage.DatasetFacets facets = dataset.getFacets();
        boolean topic = dataset.getNamespace() != null && dataset.getNamespace().toLowerCase(Locale.ROOT).startsWith("kafka://");
        DatasetUrn table = null;
        if (!topic && facets != null && facets.getSymlinks() != null && facets.getSymlinks().getIdentifiers() != null) {
            // The last TABLE symlink names it, as in the converter's loop.
            for (io.openlineage.client.OpenLineage.SymlinksDatasetFacetIdentifiers symlink : facets.getSymlinks().getIdentifiers()) {
                if (symlink != null && "TABLE".equals(symlink.getType()) && symlink.getNamespace() != null && symlink.getName() != null) {
                    String namespace = symlink.getNamespace();
                    boolean glue = namespace.startsWith("arn:aws:glue:") || namespace.startsWith("aws:glue:");
                    String name = symlink.getName().startsWith("table/") ? symlink.getName().substring(6).replace('/', '.') : symlink.getName();
                    table = table(glue ? "glue" : "hive", name);
                }
            }
        }
        return table != null ? table : urn(dataset.getNamespace(), dataset.getName());
    }

    private DatasetUrn table(String platform, String name) {
        String datasetName = options.lowercase() ? name.toLowerCase(Locale.ROOT) : name;
        if (options.hasPlatformInstance()) {
            datasetName = options.platformInstance() + "." + datasetName;
        }
        return UrnParts.checked(new DatasetUrn(new DataPlatformUrn(UrnParts.encode(platform)), UrnParts.encode(datasetName), options.env()));
    }

    public DatasetUrn urn(String namespace, String name) {
        String platform;
        String datasetName;
        int separator = namespace.indexOf("://");
        if (separator < 0) {
            platform = alias(namespace);
            datasetName = PATH_PLATFORMS.contains(platform) ? trimTrailingSlashes(name) : name;
        } else {
            platform = alias(namespace.substring(0, separator));
            String authority = namespace.substring(separator + 3);
            if (BUCKET_PLATFORMS.contains(platform)) {
                datasetName = join(authority, name);
            } else if (PATH_PLATFORMS.contains(platform)) {
                datasetName = trimTrailingSlashes(name);
            } else {
                datasetName = name;
            }
        }
        return table(platform, datasetName);
    }

    /** A path keeps its leading {@code /}, as DataHub's converter names file-system datasets. */
    private static String trimTrailingSlashes(String path) {
        int end = path.length();
        while (end > 1 && path.charAt(end - 1) == '/') {
            end--;
        }
        return path.substring(0, end);
    }

    private static String alias(String scheme) {
        String lower = scheme.toLowerCase(Locale.ROOT);
        return PLATFORM_ALIASES.getOrDefault(lower, lower);
    }

    private static String join(String authority, String path) {
        String bucket = trimSlashes(authority);
        String key = trimSlashes(path);
        return key.isEmpty() ? bucket : bucket.isEmpty() ? key : bucket + "/" + key;
    }

    private static String trimSlashes(String value) {
        int start = 0;
        int end = value.length();
        while (start < end && value.charAt(start) == '/') {
            start++;
        }
        while (end > start && value.charAt(end - 1) == '/') {
            end--;
        }
        return value.substring(start, end);
    }
}
