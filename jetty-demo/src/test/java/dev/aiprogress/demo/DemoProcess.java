package dev.aiprogress.demo;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo as a user starts it: {@code java -jar ai-progress-demo.jar --port 0 --config FILE} in its
 * own process; the URL is read from the line it prints. Output goes to a log file (never a pipe
 * nobody drains, which would stall the server once full).
 */
final class DemoProcess implements AutoCloseable {

    private static final Pattern SERVING = Pattern.compile("ai-progress demo serving (http://\\S+)");

    private final Process process;
    private final URI uri;
    private final Path log;

    private DemoProcess(Process process, URI uri, Path log) {
        this.process = process;
        this.uri = uri;
        this.log = log;
    }

    static DemoProcess start(Path jar, Path config, Path log) throws Exception {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no demo jar at " + jar + ": run the browser test through Maven "
                    + "(mvn -B verify -Pbrowser), which packages it first");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "--port", "0", "--config", config.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String out = Files.readString(log, StandardCharsets.UTF_8);
            Matcher m = SERVING.matcher(out);
            if (m.find()) {
                return new DemoProcess(process, URI.create(m.group(1)), log);
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the demo exited with " + process.exitValue() + ":\n" + out);
            }
            Thread.sleep(100);
        }
        process.destroyForcibly();
        throw new IllegalStateException("the demo printed no URL in 60 s:\n" + Files.readString(log, StandardCharsets.UTF_8));
    }

    URI uri() {
        return uri;
    }

    String output() throws Exception {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        process.destroy(); // SIGTERM: the shutdown hook stops Jetty and the plugin cleanly
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
