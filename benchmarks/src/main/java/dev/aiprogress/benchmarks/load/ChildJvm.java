package dev.aiprogress.benchmarks.load;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** The T8 server JVM ({@link IdleSocketsRun}): same java binary and classpath as this one; killed on close whatever happened. */
final class ChildJvm implements AutoCloseable {
    final Process process;
    final int port;
    final File stderr;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private ChildJvm(Process process, File stderr) throws Exception {
        this.process = process;
        this.stderr = stderr;
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l = in.readLine(); l != null; l = in.readLine()) {
                    lines.add(l);
                }
            } catch (Exception ignored) {
                // the child is gone; next() times out
            }
            lines.add(ServerUnderTest.PREFIX + "EOF");
        }, "t8-child-stdout");
        reader.setDaemon(true);
        reader.start();
        String first = next("PORT", 60);
        this.port = Integer.parseInt(first.substring(first.indexOf(' ') + 1).trim());
    }

    static ChildJvm start(IdleSocketsRun.Options o) throws Exception {
        String java = ProcessHandle.current().info().command()
                .orElse(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        List<String> cmd = List.of(java, "-Xms" + o.heapMb + "m", "-Xmx" + o.heapMb + "m", "-XX:+UseG1GC",
                "-cp", System.getProperty("java.class.path"), ServerUnderTest.class.getName(),
                "--users", Integer.toString(o.users()));
        File err = File.createTempFile("t8-server-", ".stderr");
        err.deleteOnExit();
        Process p = new ProcessBuilder(cmd).redirectError(err).start();
        try {
            return new ChildJvm(p, err);
        } catch (Exception e) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException("server JVM did not start: " + e + "; stderr: "
                    + String.join(" | ", tail(err, 10)), e);
        }
    }

    /** The next protocol reply of the given kind; other lines (logs) are skipped. */
    private String next(String kind, int timeoutSec) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSec);
        while (true) {
            String l = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (l == null) {
                throw new IllegalStateException("server JVM: no " + kind + " reply within " + timeoutSec + " s");
            }
            if (l.startsWith(ServerUnderTest.PREFIX + kind)) {
                return l;
            }
            if (l.startsWith(ServerUnderTest.PREFIX + "EOF") || l.startsWith(ServerUnderTest.PREFIX + "ERR")) {
                throw new IllegalStateException("server JVM: " + l + " while waiting for " + kind);
            }
        }
    }

    private void send(String cmd) {
        try {
            process.getOutputStream().write((cmd + "\n").getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("server JVM gone: " + e, e);
        }
    }

    long heap() throws Exception {
        send("heap");
        String[] p = next("HEAP", 60).split(" ");
        return Long.parseLong(p[1]);
    }

    int openSessions() throws Exception {
        send("open");
        return Integer.parseInt(next("OPEN", 30).split(" ")[1]);
    }

    int bareOpen() throws Exception {
        send("bare");
        return Integer.parseInt(next("BARE", 30).split(" ")[1]);
    }

    String histogram() throws Exception {
        send("histo");
        StringBuilder sb = new StringBuilder();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            String l = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (l == null || l.startsWith(ServerUnderTest.PREFIX + "EOF")) {
                throw new IllegalStateException("server JVM: histogram did not end");
            }
            if (l.startsWith(ServerUnderTest.PREFIX + "END")) {
                return sb.toString();
            }
            sb.append(l).append('\n');
        }
    }

    /** Asks the child to stop, then kills it if it has not within 10 s; its exit status, or null if it had to be killed. */
    Integer quit() {
        try {
            if (process.isAlive()) {
                send("quit");
                process.getOutputStream().close();
            }
            if (process.waitFor(10, TimeUnit.SECONDS)) {
                return process.exitValue();
            }
        } catch (Exception ignored) {
            // killed below
        }
        close();
        return null;
    }

    List<String> stderrTail(int n) {
        return tail(stderr, n);
    }

    private static List<String> tail(File f, int n) {
        try {
            List<String> all = Files.readAllLines(f.toPath(), StandardCharsets.UTF_8);
            return all.subList(Math.max(0, all.size() - n), all.size());
        } catch (Exception e) {
            return List.of("(no stderr: " + e + ")");
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
