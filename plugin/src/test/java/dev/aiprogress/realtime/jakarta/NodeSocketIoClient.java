package dev.aiprogress.realtime.jakarta;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code src/test/node/sio-client.mjs} (the real socket.io-client 4.8.1) with {@code node}.
 * A machine without Node fails the test: Node is a prerequisite, never a reason to skip.
 * Reusable by later end-to-end tests: {@link #start} takes the same arguments as the script.
 */
public final class NodeSocketIoClient implements AutoCloseable {

    private static final long WAIT_SECONDS = 8;

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuilder stderr = new StringBuilder();

    private NodeSocketIoClient(Process process) {
        this.process = process;
        Thread out = new Thread(() -> pump(new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8)), lines::add), "node-stdout");
        Thread err = new Thread(() -> pump(new BufferedReader(new InputStreamReader(process.getErrorStream(),
                StandardCharsets.UTF_8)), line -> {
            synchronized (stderr) {
                stderr.append(line).append('\n');
            }
        }), "node-stderr");
        out.setDaemon(true);
        err.setDaemon(true);
        out.start();
        err.start();
    }

    /** The folder with package.json and node_modules (installed by the Maven build). */
    public static Path scriptDir() {
        return Path.of(System.getProperty("basedir", ".")).resolve("src/test/node").toAbsolutePath();
    }

    public static NodeSocketIoClient start(String baseUrl, String sid, String cookieHeader, int completeCount,
                                           long timeoutMs) throws IOException {
        Path dir = scriptDir();
        if (!Files.isDirectory(dir.resolve("node_modules/socket.io-client"))) {
            throw new AssertionError("socket.io-client is not installed in " + dir
                    + ": run `npm install --no-audit --no-fund` there (the Maven build does it)");
        }
        ProcessBuilder pb = new ProcessBuilder(List.of("node", "sio-client.mjs", baseUrl, sid, cookieHeader,
                Integer.toString(completeCount), Long.toString(timeoutMs))).directory(dir.toFile());
        return new NodeSocketIoClient(pb.start());
    }

    /** The next line the script printed; fails after a few seconds without one. */
    public String nextLine() throws InterruptedException {
        String line = lines.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        if (line == null) {
            throw new AssertionError("node printed nothing for " + WAIT_SECONDS + " s; alive=" + process.isAlive()
                    + " stderr:\n" + stderrText());
        }
        return line;
    }

    /** Sends a command line to the script ({@code drop}, {@code quit}). */
    public void command(String command) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    public int awaitExit() throws InterruptedException {
        if (!process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("node did not exit; stderr:\n" + stderrText());
        }
        return process.exitValue();
    }

    public String stderrText() {
        synchronized (stderr) {
            return stderr.toString();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static void pump(BufferedReader reader, java.util.function.Consumer<String> sink) {
        try (reader) {
            String line;
            while ((line = reader.readLine()) != null) {
                sink.accept(line);
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }
}
