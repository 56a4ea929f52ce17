package dev.aiprogress.containers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The plugin's {@code sio-client.mjs} (socket.io-client 4.8.1 configured like the Oropendola
 * extension) run with {@code node}. The plugin test-jar has a wrapper too, but it finds the script
 * from the running module's basedir; this one takes the folder from {@code aip.node.dir}.
 * A machine without Node fails the test: Node is a prerequisite, never a reason to skip.
 */
final class SioClient implements AutoCloseable {

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuffer stderr = new StringBuffer();

    private SioClient(Process process) {
        this.process = process;
        pump(new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)), true);
        pump(new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)), false);
    }

    static SioClient start(String baseUrl, String sid, String cookieHeader, int completeCount, Duration timeout)
            throws IOException {
        return start(baseUrl, sid, cookieHeader, completeCount, timeout, "websocket,polling");
    }

    /** With the client's transports: {@code websocket,polling} (the extension), {@code default} or {@code polling}. */
    static SioClient start(String baseUrl, String sid, String cookieHeader, int completeCount, Duration timeout,
                           String transports) throws IOException {
        Path dir = Path.of(System.getProperty("aip.node.dir", "../plugin/src/test/node")).toAbsolutePath().normalize();
        if (!Files.isDirectory(dir.resolve("node_modules/socket.io-client"))) {
            throw new AssertionError("socket.io-client is not installed in " + dir + ": run `npm install` there");
        }
        return new SioClient(new ProcessBuilder(List.of("node", "sio-client.mjs", baseUrl, sid, cookieHeader,
                Integer.toString(completeCount), Long.toString(timeout.toMillis()), transports)).directory(dir.toFile()).start());
    }

    /** The next JSON line the script printed, or an assertion error after {@code wait}. */
    String nextLine(Duration wait) throws InterruptedException {
        String line = lines.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (line == null) {
            throw new AssertionError("node printed nothing for " + wait + "; alive=" + process.isAlive()
                    + " stderr:\n" + stderr);
        }
        return line;
    }

    int awaitExit(Duration wait) throws InterruptedException {
        if (!process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("node did not exit; stderr:\n" + stderr);
        }
        return process.exitValue();
    }

    String stderr() {
        return stderr.toString();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(3, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private void pump(BufferedReader reader, boolean out) {
        Thread t = new Thread(() -> {
            try (reader) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (out) {
                        lines.add(line);
                    } else {
                        stderr.append(line).append('\n');
                    }
                }
            } catch (IOException ended) {
                // the process ended
            }
        }, out ? "node-stdout" : "node-stderr");
        t.setDaemon(true);
        t.start();
    }
}
