package dev.aiprogress.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} of the test's own, on a free loopback port, with nothing persisted.
 * {@link #kill()} and {@link #restart()} (same port) simulate an outage. When {@code redis-server}
 * is not installed the test fails with how to install it: it never skips.
 */
public final class RedisServer implements AutoCloseable {

    private static final long START_SECONDS = 10;

    private final int port;
    private Process process;

    private RedisServer(int port) {
        this.port = port;
    }

    public static RedisServer start() throws IOException, InterruptedException {
        RedisServer server = new RedisServer(freePort());
        server.launch();
        return server;
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:<port>} */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Stops the server at once (SIGKILL), as a crash would. */
    public synchronized void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            process = null;
        }
    }

    /**
     * Freezes ({@code SIGSTOP}) or thaws ({@code SIGCONT}) the server: connections stay open and
     * nothing answers, as with a hung Redis or a network partition without a reset.
     */
    public synchronized void freeze(boolean frozen) throws IOException, InterruptedException {
        if (process != null) {
            Process kill = new ProcessBuilder("kill", frozen ? "-STOP" : "-CONT", Long.toString(process.pid()))
                    .redirectErrorStream(true).start();
            kill.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Starts it again on the same port (empty: nothing was saved). */
    public synchronized void restart() throws IOException, InterruptedException {
        kill();
        launch();
    }

    /** Sends one inline command and returns the first reply line (e.g. {@code PUBSUB NUMSUB ch}). */
    public String command(String inline) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            out.write((inline + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder reply = new StringBuilder();
            int b;
            while ((b = in.read()) != -1 && b != '\n') {
                reply.append((char) b);
            }
            return reply.toString().trim();
        }
    }

    /** Subscribers of a channel ({@code PUBSUB NUMSUB}); 0 while Redis is down. */
    public long subscribers(String channel) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(2000);
            s.getOutputStream().write(("PUBSUB NUMSUB " + channel + "\r\n").getBytes(StandardCharsets.UTF_8));
            java.io.BufferedReader in = new java.io.BufferedReader(
                    new java.io.InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith(":")) {
                    return Long.parseLong(line.substring(1).trim());
                }
            }
            return 0;
        } catch (IOException down) {
            return 0;
        }
    }

    private synchronized void launch() throws IOException, InterruptedException {
        Path binary = findBinary();
        process = new ProcessBuilder(List.of(binary.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--protected-mode", "no"))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("redis-server exited at start (port " + port + " taken?)");
            }
            try {
                if ("+PONG".equals(command("PING"))) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(20);
        }
        throw new AssertionError("redis-server did not answer PING within " + START_SECONDS + "s");
    }

    private static Path findBinary() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "redis-server");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("redis-server is not on PATH: install redis-server: apt-get install -y redis-server");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
