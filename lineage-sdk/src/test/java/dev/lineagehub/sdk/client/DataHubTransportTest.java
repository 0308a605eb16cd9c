package dev.lineagehub.sdk.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.openlineage.client.OpenLineage;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.UUID;

/**
 * Whatever a worker's event holds, {@code send} raises only the transport's typed errors: the worker decides retry or
 * give up by type, so an untyped exception (a mapping defect, the DataHub client refusing a name) would be a crash.
 * Against a port nothing listens on, a mapped event ends in a {@link TransientNetworkError}; one that cannot be
 * mapped or sent in a {@link RejectedError}.
 */
class DataHubTransportTest {

    private static DataHubTransport transport;

    @BeforeContainer
    static void closedPort() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        transport = new DataHubTransport(DataHubTransport.Config.of(URI.create("http://127.0.0.1:" + port)).withTimeout(Duration.ofSeconds(2)));
    }

    @AfterContainer
    static void close() {
        transport.close();
    }

    @Property(tries = 300)
    void anyEventEndsInATypedError(@ForAll("names") String namespace, @ForAll("names") String job, @ForAll("names") String owner,
                                   @ForAll("names") String ownerType, @ForAll("names") String dataset, @ForAll("names") String column) {
        OpenLineage ol = new OpenLineage(URI.create("https://example.com/worker"));
        OpenLineage.RunEvent event = ol.newRunEventBuilder().eventType(OpenLineage.RunEvent.EventType.START).eventTime(ZonedDateTime.now())
                .run(ol.newRunBuilder().runId(UUID.randomUUID()).build())
                .job(ol.newJobBuilder().namespace(namespace).name(job).facets(ol.newJobFacetsBuilder()
                        .ownership(ol.newOwnershipJobFacetBuilder().owners(List.of(
                                ol.newOwnershipJobFacetOwnersBuilder().name(owner).type(ownerType).build())).build()).build()).build())
                .inputs(List.of(ol.newInputDatasetBuilder().namespace(namespace).name(dataset).facets(ol.newDatasetFacetsBuilder()
                        .schema(ol.newSchemaDatasetFacetBuilder().fields(List.of(
                                ol.newSchemaDatasetFacetFieldsBuilder().name(column).type("string").build())).build()).build()).build()))
                .build();
        Throwable thrown = catchThrowable(() -> transport.send(event));
        assertThat(thrown).isInstanceOfAny(TransientNetworkError.class, RejectedError.class);
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.oneOf(Arbitraries.of("MAINTAINER", "DATAOWNER", "user:alice", "team:data", "hdfs://nn:8020", "db.table",
                        "sum(word_count)", "a,b(c)", "", " "),
                Arbitraries.strings().ofMaxLength(30),
                Arbitraries.strings().withChars("(),:/%\u0000\t\n é漢").ofMaxLength(12),
                Arbitraries.strings().withChars("a/").ofMinLength(300).ofMaxLength(600));
    }
}
