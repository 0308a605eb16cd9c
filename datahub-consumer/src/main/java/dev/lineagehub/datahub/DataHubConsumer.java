package dev.lineagehub.datahub;

import dev.lineagehub.datahub.config.DataHubSettings;
import dev.lineagehub.datahub.sink.DataHubSink;
import dev.lineagehub.openlineage.OpenLineageSettings;
import dev.lineagehub.openlineage.OpenLineageTopology;
import dev.lineagehub.runtime.ConsumerDefinition;
import dev.lineagehub.runtime.ConsumerRuntime;
import dev.lineagehub.runtime.EnvConfig;
import dev.lineagehub.runtime.RuntimeContext;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** datahub-consumer: OpenLineage events from Kafka to DataHub as typed proposals, in run order, at least once. */
public final class DataHubConsumer implements ConsumerDefinition {

    private static final Logger LOG = LoggerFactory.getLogger(DataHubConsumer.class);

    public static void main(String[] args) {
        ConsumerRuntime.main(new DataHubConsumer(), args);
    }

    @Override
    public String name() {
        return "datahub";
    }

    @Override
    public String envPrefix() {
        return DataHubSettings.PREFIX;
    }

    @Override
    public int defaultAdminPort() {
        return 8082;
    }

    @Override
    public void define(ConfigDef definition) {
        OpenLineageSettings.define(definition, DataHubSettings.PREFIX);
        DataHubSettings.define(definition);
    }

    @Override
    public List<String> inputTopics(EnvConfig config) {
        return List.of(OpenLineageSettings.from(config).topic());
    }

    @Override
    public Map<String, Object> streamsDefaults() {
        return OpenLineageSettings.STREAMS_DEFAULTS;
    }

    @Override
    public Topology topology(EnvConfig config, RuntimeContext context) {
        DataHubSettings settings = DataHubSettings.from(config);
        DataHubSink sink;
        try {
            sink = new DataHubSink(settings, context.deliveryExecutor());
        } catch (IOException e) {
            throw new ConfigException(DataHubSettings.OUTPUT_FILE + ": cannot create " + settings.outputFile().orElseThrow() + ": " + e);
        }
        settings.outputFile().ifPresent(file ->
                LOG.info("No DataHub GMS: writing proposals in DataHub's MCP file format to {}", file.toAbsolutePath()));
        context.closeOnShutdown(sink);
        return OpenLineageTopology.build(OpenLineageSettings.from(config), "DataHub GMS", sink, context);
    }
}
