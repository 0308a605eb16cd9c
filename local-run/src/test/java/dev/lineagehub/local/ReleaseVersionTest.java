package dev.lineagehub.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lineagehub.runtime.Version;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One version everywhere it is written: the build, what the components report, the image, deploy/, the API docs, the changelog. */
class ReleaseVersionTest {

    private static final Path ROOT = Path.of("..");
    private static final YAMLMapper YAML = new YAMLMapper();

    @Test
    void everyPlaceNamesTheBuildsVersion() throws IOException {
        String version = buildVersion();
        assertThat(Version.current()).as("what --version and the start log report").isEqualTo(version);
        assertThat(match("(?m)^ARG VERSION=(\\S+)$", Files.readString(ROOT.resolve("Dockerfile")))).as("the image's label").isEqualTo(version);
        JsonNode base = YAML.readTree(ROOT.resolve("deploy/base/kustomization.yaml").toFile());
        assertThat(base.findValue("app.kubernetes.io/version").asText()).isEqualTo(version);
        for (String overlay : new String[] {"example", "strimzi"}) {
            JsonNode kustomization = YAML.readTree(ROOT.resolve("deploy/overlays/" + overlay + "/kustomization.yaml").toFile());
            assertThat(kustomization.path("images").get(0).path("newTag").asText()).as("the %s overlay's image tag", overlay).isEqualTo(version);
        }
        JsonNode openApi = YAML.readTree(ROOT.resolve("ingest-api/src/main/resources/ingest-api/openapi.yaml").toFile());
        assertThat(openApi.path("info").path("version").asText()).isEqualTo(version);
        assertThat(Files.readString(ROOT.resolve("CHANGELOG.md"))).contains("## [" + version + "]");
    }

    @Test
    void dashDashVersionPrintsTheComponentAndItsVersionAndStartsNothing() {
        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            assertThat(Version.printed("otel-consumer", new String[] {"--version"})).isTrue();
            assertThat(Version.printed("otel-consumer", new String[] {})).isFalse();
        } finally {
            System.setOut(out);
        }
        assertThat(printed.toString(StandardCharsets.UTF_8)).isEqualTo("lineage-hub otel-consumer " + Version.current() + System.lineSeparator());
    }

    /** The root pom's own version: the first {@code <version>} after its artifactId. */
    private static String buildVersion() throws IOException {
        return match("<artifactId>lineage-hub</artifactId>\\s*<version>([^<]+)</version>", Files.readString(ROOT.resolve("pom.xml")));
    }

    private static String match(String regex, String text) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        assertThat(matcher.find()).as("%s in the file", regex).isTrue();
        return matcher.group(1);
    }
}
