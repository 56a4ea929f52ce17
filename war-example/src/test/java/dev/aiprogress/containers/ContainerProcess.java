package dev.aiprogress.containers;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One container JVM started as a real process: output captured to a log file under
 * {@code target/container-logs}, readiness polled over HTTP, stop by SIGTERM (each container's own
 * shutdown hook undeploys the app) and a check that the process and its children really ended.
 */
final class ContainerProcess implements AutoCloseable {

    /** A plugin URL that answers only once the WAR is deployed: 401 JSON for an anonymous caller. */
    static final String READY_PATH = "/api/method/frappe.auth.get_logged_user";

    private final String name;
    private final Process process;
    private final Path log;

    private ContainerProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static ContainerProcess start(String name, List<String> command, Path workDir, Path log) throws IOException {
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Files.writeString(log.resolveSibling(log.getFileName() + ".cmd"), String.join(" ", command) + "\n");
        return new ContainerProcess(name, pb.start(), log);
    }

    /** Free loopback port; a tiny race with other processes is accepted for tests. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    Path log() {
        return log;
    }

    /** Waits until the plugin answers at {@code base}; fails early when the process died. */
    void awaitReady(URI base, Duration timeout) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        int lastStatus = -1;
        String lastProblem = "none";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + " before it was ready; log: " + log
                        + "\n" + tail());
            }
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(base.resolve(READY_PATH))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
                lastStatus = r.statusCode();
                // 401 with the Frappe error body: our servlet answered, not the container's 404 page
                if ((lastStatus == 401 || lastStatus == 200) && r.body().contains("\"message\"")) {
                    return;
                }
            } catch (IOException notYet) {
                // refused, reset or timed out while the connector starts
                lastProblem = notYet.toString();
            }
            Thread.sleep(500);
        }
        Path dump = threadDump();
        throw new AssertionError(name + " not ready within " + timeout + " (last status " + lastStatus + ", last problem "
                + lastProblem + "); log: " + log + ", thread dump: " + dump + "\n" + tail());
    }

    /** {@code jcmd <pid> Thread.print} next to the log, to see why a container hangs. */
    Path threadDump() {
        Path dump = log.resolveSibling(log.getFileName() + ".threads.txt");
        try {
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(process.pid()), "Thread.print").redirectErrorStream(true)
                    .redirectOutput(dump.toFile()).start();
            jcmd.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            return Path.of("(no thread dump: " + e + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return dump;
    }

    private String jcmd(String... command) throws IOException, InterruptedException {
        List<String> args = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(process.pid())));
        args.addAll(List.of(command));
        Process jcmd = new ProcessBuilder(args).redirectErrorStream(true).start();
        String out = new String(jcmd.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        jcmd.waitFor(60, TimeUnit.SECONDS);
        return out;
    }

    /**
     * What of the plugin is still in the container JVM, or "" when nothing: its threads and its
     * upstream HTTP client's ({@code ai-progress-*}, {@code HttpClient-*}), and live instances of
     * its classes ({@code GC.class_histogram} counts live objects only, after a full GC).
     */
    String leftOverOfPlugin() throws IOException, InterruptedException {
        List<String> found = new java.util.ArrayList<>();
        for (String line : jcmd("Thread.print").split("\n")) {
            if (line.startsWith("\"ai-progress-") || line.startsWith("\"HttpClient-")) {
                found.add("thread " + line.substring(0, line.indexOf('"', 1) + 1));
            }
        }
        for (String line : jcmd("GC.class_histogram").split("\n")) {
            if (line.contains(" dev.aiprogress.") && !line.contains("dev.aiprogress.containers")) {
                String[] cols = line.trim().split("\\s+");
                found.add(cols[cols.length - 1] + " x" + cols[1]);
            }
        }
        return String.join(", ", found);
    }

    /** {@code jcmd GC.heap_dump} next to the log: what holds the class loader. */
    Path heapDump() {
        Path dump = log.resolveSibling(log.getFileName() + ".hprof");
        try {
            java.nio.file.Files.deleteIfExists(dump);
            jcmd("GC.heap_dump", dump.toString());
        } catch (IOException e) {
            return Path.of("(no heap dump: " + e + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return dump;
    }

    /** The last lines of the log, for assertion messages. */
    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException | java.io.UncheckedIOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /**
     * SIGTERM, then wait: the container's shutdown hook stops the app (our contextDestroyed runs).
     * Returns true when the process and all its children ended by themselves.
     */
    boolean stop(Duration grace) throws InterruptedException {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        boolean ended = process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
        if (!ended) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        for (ProcessHandle child : children) {
            if (child.isAlive()) {
                child.destroyForcibly();
                ended = false;
            }
        }
        return ended;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop(Duration.ofSeconds(30));
        }
    }
}
