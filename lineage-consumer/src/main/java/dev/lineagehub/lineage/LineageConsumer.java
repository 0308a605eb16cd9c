package dev.lineagehub.lineage;

import dev.lineagehub.lineage.config.MarquezSettings;
import dev.lineagehub.lineage.sink.MarquezSink;
import dev.lineagehub.openlineage.OpenLineageSettings;
import dev.lineagehub.openlineage.OpenLineageTopology;
import dev.lineagehub.runtime.ConsumerDefinition;
import dev.lineagehub.runtime.ConsumerRuntime;
import dev.lineagehub.runtime.EnvConfig;
import dev.lineagehub.runtime.RuntimeContext;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.streams.Topology;

import java.util.List;

/** lineage-consumer: OpenLineage events from Kafka to Marquez, in run order, at least once. */
public final class LineageConsumer implements ConsumerDefinition {

    public static void main(String[] args) {
        ConsumerRuntime.main(new LineageConsumer());
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
    public Topology topology(EnvConfig config, RuntimeContext context) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        context.closeOnShutdown(() -> vertx.close().await());
        MarquezSink sink = new MarquezSink(vertx, MarquezSettings.from(config));
        context.closeOnShutdown(sink);
        return OpenLineageTopology.build(OpenLineageSettings.from(config), sink, context);
    }
}
