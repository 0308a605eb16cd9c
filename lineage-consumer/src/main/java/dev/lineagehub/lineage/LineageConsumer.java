package dev.lineagehub.lineage;

import dev.lineagehub.delivery.Sink;
import dev.lineagehub.lineage.config.MarquezSettings;
import dev.lineagehub.lineage.sink.MarquezSink;
import dev.lineagehub.lineage.sink.NdjsonFileSink;
import dev.lineagehub.openlineage.OpenLineageEvent;
import dev.lineagehub.openlineage.OpenLineageSettings;
import dev.lineagehub.openlineage.OpenLineageTopology;
import dev.lineagehub.runtime.ConsumerDefinition;
import dev.lineagehub.runtime.ConsumerRuntime;
import dev.lineagehub.runtime.EnvConfig;
import dev.lineagehub.runtime.RuntimeContext;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** lineage-consumer: OpenLineage events from Kafka to Marquez, in run order, at least once. */
public final class LineageConsumer implements ConsumerDefinition {

    private static final Logger LOG = LoggerFactory.getLogger(LineageConsumer.class);

    public static void main(String[] args) {
        ConsumerRuntime.main(new LineageConsumer(), args);
    }

    @Override
    public String name() {
        return "lineage";
    }

    @Override
    public String envPrefix() {
        return MarquezSettings.PREFIX;
    }

    @Override
    public int defaultAdminPort() {
        return 8081;
    }

    @Override
    public void define(ConfigDef definition) {
        OpenLineageSettings.define(definition, MarquezSettings.PREFIX);
        MarquezSettings.define(definition);
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
        MarquezSettings settings = MarquezSettings.from(config);
        return OpenLineageTopology.build(OpenLineageSettings.from(config), "Marquez", sink(settings, context), context);
    }

    private static Sink<OpenLineageEvent> sink(MarquezSettings settings, RuntimeContext context) {
        if (settings.outputFile().isPresent()) {
            Path file = settings.outputFile().get();
            try {
                NdjsonFileSink sink = new NdjsonFileSink(file);
                context.closeOnShutdown(sink);
                LOG.info("No Marquez: writing OpenLineage NDJSON to {}", file.toAbsolutePath());
                return sink;
            } catch (IOException e) {
                throw new ConfigException(MarquezSettings.OUTPUT_FILE + ": cannot open " + file + " for appending: " + e);
            }
        }
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        context.closeOnShutdown(() -> vertx.close().await());
        MarquezSink sink = new MarquezSink(vertx, settings);
        context.closeOnShutdown(sink);
        return sink;
    }
}
