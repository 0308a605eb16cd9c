package dev.lineagehub.lineage.sink;

import dev.lineagehub.delivery.RetryableDeliveryException;
import dev.lineagehub.delivery.Sink;
import dev.lineagehub.openlineage.OpenLineageEvent;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Appends each event as one line of OpenLineage NDJSON, for running without a Marquez: the file is
 * what the OpenLineage file transport writes, and each line can later be POSTed to
 * {@code /api/v1/lineage} as is. An event counts as delivered once its line is handed to the OS.
 */
public final class NdjsonFileSink implements Sink<OpenLineageEvent>, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final FileChannel channel;

    public NdjsonFileSink(Path file) throws IOException {
        this.file = file;
        Files.createDirectories(file.toAbsolutePath().getParent());
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    @Override
    public CompletionStage<Void> deliver(OpenLineageEvent event) {
        try {
            ByteBuffer line = ByteBuffer.wrap(line(event.bytes()));
            synchronized (channel) {
                while (line.hasRemaining()) {
                    channel.write(line);
                }
            }
            return CompletableFuture.completedFuture(null);
        } catch (IOException e) {
            // A full disk or a lost mount is retried like a sink that is down, never dead-lettered.
            return CompletableFuture.failedFuture(new RetryableDeliveryException("cannot append to " + file + ": " + e, String.valueOf(e)));
        }
    }

    /** The event on one line: events written pretty-printed are re-serialized compactly. */
    static byte[] line(byte[] json) throws IOException {
        byte[] compact = json;
        for (byte b : json) {
            if (b == '\n' || b == '\r') {
                compact = JSON.writeValueAsBytes(JSON.readTree(json));
                break;
            }
        }
        byte[] line = new byte[compact.length + 1];
        System.arraycopy(compact, 0, line, 0, compact.length);
        line[compact.length] = '\n';
        return line;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
