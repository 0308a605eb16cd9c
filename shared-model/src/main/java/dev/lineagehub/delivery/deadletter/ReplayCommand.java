package dev.lineagehub.delivery.deadletter;

import dev.lineagehub.runtime.EnvConfig;
import dev.lineagehub.runtime.LegacyNames;

import org.apache.kafka.common.config.ConfigDef;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code ./lineage-hub replay}: the command line of {@link DeadLetterReplay}. */
@Command(name = "lineage-hub replay", mixinStandardHelpOptions = true, versionProvider = ReplayCommand.BuildVersion.class,
        description = {"Re-publishes dead letters to the topic they came from (or --to another), once what made them fail is fixed.",
                "Reads the dead-letter topic from its beginning without a consumer group: no one's offsets move, and it can run again.",
                "Dry run unless --apply.",
                "Kafka settings: LINEAGEHUB_REPLAY_KAFKA_BOOTSTRAP_SERVERS (default localhost:9092) and any LINEAGEHUB_REPLAY_KAFKA_* client property."})
public final class ReplayCommand implements Callable<Integer> {

    static final String ENV_PREFIX = "LINEAGEHUB_REPLAY_";

    /** The build's version, not a literal of its own. */
    static final class BuildVersion implements picocli.CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"lineage-hub replay " + dev.lineagehub.runtime.Version.current()};
        }
    }

    @Option(names = "--from", required = true, paramLabel = "<dead-letter topic>", description = "the dead-letter topic to read")
    String from;

    @Option(names = "--to", paramLabel = "<topic>", description = "publish here instead of each record's original topic")
    String to;

    @Option(names = "--reason", paramLabel = "<REASON>", description = "only dead letters with this reason (e.g. SINK_REJECTED)")
    String reason;

    @Option(names = "--apply", description = "publish; without it, only list what would be")
    boolean apply;

    private final Map<String, String> env;

    ReplayCommand(Map<String, String> env) {
        this.env = env;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ReplayCommand(System.getenv())).execute(args));
    }

    DeadLetterReplay.Options options() {
        return new DeadLetterReplay.Options(from, Optional.ofNullable(to), Optional.ofNullable(reason), apply);
    }

    @Override
    public Integer call() {
        Map<String, String> settings = new HashMap<>(LegacyNames.applied(ENV_PREFIX, env, System.err::println));
        settings.putIfAbsent(ENV_PREFIX + "KAFKA_BOOTSTRAP_SERVERS", "localhost:9092");
        DeadLetterReplay.Options options = options();
        DeadLetterReplay.Result result = new DeadLetterReplay(EnvConfig.parse(ENV_PREFIX, new ConfigDef(), settings).kafkaProperties())
                .replay(options, System.out::println);
        System.out.printf("%s: %d dead letters read, %d matched, %d re-published%s%n", options.deadLetterTopic(),
                result.scanned(), result.matched(), result.published(), options.apply() ? "" : " (dry run: add --apply)");
        return 0;
    }
}
