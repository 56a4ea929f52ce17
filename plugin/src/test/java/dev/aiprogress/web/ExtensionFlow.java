package dev.aiprogress.web;

import dev.aiprogress.realtime.jakarta.NodeSocketIoClient;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Runs {@code src/test/node/extension-flow.mjs}: the Oropendola extension's flow (login, sockets
 * with socket.io-client 4.8.1, chat request, events until {@code complete}) as a child process, and
 * hands its JSON lines to the test. Node missing fails the test; it never skips.
 */
final class ExtensionFlow implements AutoCloseable {

    private static final long WAIT_SECONDS = 15;

    private final Process process;
    private final BlockingQueue<JsonObject> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();
    private final StringBuilder stderr = new StringBuilder();
    /** Called on the reading thread for every line (flow control in tests). */
    private final Consumer<JsonObject> tap;

    private ExtensionFlow(Process process, Consumer<JsonObject> tap) {
        this.process = process;
        this.tap = tap;
        daemon("extension-flow-stdout", () -> pump(process.getInputStream(), line -> {
            JsonObject o;
            try (JsonReader r = Json.createReader(new StringReader(line))) {
                o = r.readObject();
            } catch (RuntimeException notJson) {
                o = Json.createObjectBuilder().add("unparsed", line).build();
            }
            this.tap.accept(o);
            lines.add(o);
        }));
        daemon("extension-flow-stderr", () -> pump(process.getErrorStream(), line -> {
            synchronized (stderr) {
                stderr.append(line).append('\n');
            }
        }));
    }

    /** Starts the script with these options ({@code "--user", "alice", ...}; see the script's header). */
    static ExtensionFlow start(List<String> args) throws IOException {
        return start(args, o -> { });
    }

    static ExtensionFlow start(List<String> args, Consumer<JsonObject> tap) throws IOException {
        Path dir = NodeSocketIoClient.scriptDir();
        if (!Files.isDirectory(dir.resolve("node_modules/socket.io-client"))) {
            throw new AssertionError("socket.io-client is not installed in " + dir
                    + ": run `npm install --no-audit --no-fund` there (the Maven build does it)");
        }
        List<String> command = new ArrayList<>(List.of("node", "extension-flow.mjs"));
        command.addAll(args);
        return new ExtensionFlow(new ProcessBuilder(command).directory(dir.toFile()).start(), tap);
    }

    /** The next line printed that matches, skipping others; fails after a while without one. */
    JsonObject await(Predicate<JsonObject> wanted, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (true) {
            long left = deadline - System.nanoTime();
            JsonObject line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("node printed no " + what + " within " + WAIT_SECONDS + " s; alive="
                        + process.isAlive() + "\nlast lines: " + lastSeen() + "\nstderr:\n" + stderrText());
            }
            remember(line);
            if (line.containsKey("timeout") || line.containsKey("connect_error")) {
                throw new AssertionError("node reported " + line + " while waiting for " + what + "\nstderr:\n" + stderrText());
            }
            if (wanted.test(line)) {
                return line;
            }
        }
    }

    /** The next whole line that has {@code key}. */
    JsonObject awaitKey(String key) throws InterruptedException {
        return await(o -> o.containsKey(key), key);
    }

    /** The final {@code result} document: the reply and every socket's events. */
    JsonObject result() throws InterruptedException {
        return await(o -> o.containsKey("result"), "result").getJsonObject("result");
    }

    void command(String command) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    int awaitExit() throws InterruptedException {
        if (!process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("node did not exit; stderr:\n" + stderrText());
        }
        return process.exitValue();
    }

    String stderrText() {
        synchronized (stderr) {
            return stderr.toString();
        }
    }

    private void remember(JsonObject line) {
        String text = line.toString();
        seen.add(text.length() > 300 ? text.substring(0, 300) + "…" : text);
    }

    private String lastSeen() {
        return String.join("\n", seen.subList(Math.max(0, seen.size() - 10), seen.size()));
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

    private static void daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
    }

    private static void pump(java.io.InputStream stream, Consumer<String> sink) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                sink.accept(line);
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }
}
