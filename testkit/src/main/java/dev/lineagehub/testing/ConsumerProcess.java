package dev.lineagehub.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A consumer running in its own JVM with the test classpath, so a test can kill it for real
 * ({@code SIGKILL}: no shutdown hook, no final commit) and start it again.
 */
public final class ConsumerProcess implements AutoCloseable {

    private final Process process;
    private final Path log;

    private ConsumerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static ConsumerProcess start(Class<?> mainClass, Map<String, String> env, String heap) throws IOException {
        Path log = Files.createTempFile(mainClass.getSimpleName(), ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-cp", System.getProperty("java.class.path"), mainClass.getName()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return new ConsumerProcess(builder.start(), log);
    }

    /** SIGKILL: the consumer gets no chance to finish deliveries or commit. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, without waiting: the test watches what the process does while it stops. */
    public void terminate() {
        process.destroy();
    }

    /** Waits for the process to end; its exit code. */
    public int waitFor(java.time.Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("process did not end within " + timeout + "; log in " + log);
        }
        return process.exitValue();
    }

    /** SIGTERM: a graceful shutdown; returns the exit code. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("consumer did not stop within 60 s; log in " + log);
        }
        return process.exitValue();
    }

    /** CPU time the consumer's JVM has used so far, all threads. */
    public Duration cpuTime() {
        return process.info().totalCpuDuration().orElseThrow();
    }

    /** Resident memory of the consumer's JVM (heap, metaspace, threads, buffers), from /proc; NaN where there is none. */
    public double residentMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException notLinux) {
            // no /proc
        }
        return Double.NaN;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String output() throws IOException {
        return Files.readString(log);
    }

    public File logFile() {
        return log.toFile();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
