package dev.aiprogress.benchmarks.load;

import dev.aiprogress.testsupport.EmbeddedJetty;
import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Load harness of issue 6 (docs/PERFORMANCE.md): the plugin on embedded Jetty in this JVM, a paced mock
 * upstream ({@link PacedMock}) in this JVM (one clock), and clients that read the same mock
 * <em>directly</em> in the same run, so every figure is printed next to its baseline:
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.aiprogress.benchmarks.load.LoadHarness --smoke
 * java -cp benchmarks/target/benchmarks.jar dev.aiprogress.benchmarks.load.LoadHarness --streams 500 --duration 20
 * </pre>
 * Phases: (1) one stream at a time: direct, plugin SSE reply, plugin WebSocket → T1, T2, T3;
 * (2) open loop at {@code --streams} concurrent streams (starts at a fixed rate, latency from the
 * intended start): direct, then plugin WebSocket (adaptive coalescer), then optionally fixed
 * batching 50 chars / 100 ms on a second server → T4, T6, T7, CPU µs/chunk, bytes/chunk (T14);
 * (3) optional scale steps. Exit status: 0 when the harness worked (even if targets are missed),
 * 1 when frames were missing, out of order, or a phase broke — never because of a timing.
 */
public final class LoadHarness {

    /** Knobs; see {@link #usage()}. */
    static final class Options {
        boolean smoke;
        int streams = 200;            // concurrent streams in the load phase
        int latencyStreams = 30;      // streams of the one-at-a-time phase
        int chunks = 40;
        long pacingMicros = 25_000;   // 40 chunks/s per stream, docs/PERFORMANCE.md T6
        int chunkChars = 24;
        int reasoningPct = 50;
        long ttftMicros = 0;
        int socketsPerUser = 1;
        double durationSec = 15;
        double warmupSec = 5;
        boolean compareBatching = true;
        int slowPct = 10;             // T13: share of all sockets that stop reading, each flooded by its own stream (0 = skip)
        int[] scale = new int[0];
        String tableFile;
        String dialect = DirectClient.OPENAI;
        ClientKind client = ClientKind.BOTH;
        int idleSockets;              // T8 in a server JVM of its own (IdleSocketsRun); 0 = skip
        int windows = 1;              // measured load windows per path (docs/PERFORMANCE.md: median and spread)
        /** --server-config key=value: init params of the servers under test, over the harness's own. */
        final Map<String, String> serverConfig = new LinkedHashMap<>();
        int floodChunks;              // T13 flood per stuck socket; 0 = sized from the send buffer and outbox.max-bytes
        int floodChars = 4096;
        int serverSndbuf;             // SO_SNDBUF of accepted server sockets; 0 = the OS autotunes (up to tcp_wmem max)

        static Options parse(String... args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--smoke":
                        o.smoke = true;
                        o.streams = 20;
                        o.latencyStreams = 5;
                        o.chunks = 20;
                        o.pacingMicros = 10_000;
                        o.durationSec = 3;
                        o.warmupSec = 2;
                        o.socketsPerUser = 2;
                        // a small bound and idle timeout so T13 sees its stuck sockets closed within CI's minute
                        o.serverConfig.putIfAbsent(SlowConsumers.MAX_BYTES_KEY, "65536");
                        o.serverConfig.putIfAbsent("ai-progress.realtime.ping-interval", "1s");
                        o.serverConfig.putIfAbsent("ai-progress.realtime.ping-timeout", "1s");
                        if (o.serverSndbuf == 0) {
                            o.serverSndbuf = 65536;
                        }
                        break;
                    case "--streams": o.streams = Integer.parseInt(args[++i]); break;
                    case "--latency-streams": o.latencyStreams = Integer.parseInt(args[++i]); break;
                    case "--chunks": o.chunks = Integer.parseInt(args[++i]); break;
                    case "--pacing-ms": o.pacingMicros = Math.round(Double.parseDouble(args[++i]) * 1000); break;
                    case "--chunk-chars": o.chunkChars = Integer.parseInt(args[++i]); break;
                    case "--reasoning-pct": o.reasoningPct = Integer.parseInt(args[++i]); break;
                    case "--ttft-ms": o.ttftMicros = Math.round(Double.parseDouble(args[++i]) * 1000); break;
                    case "--sockets-per-user": o.socketsPerUser = Integer.parseInt(args[++i]); break;
                    case "--duration": o.durationSec = Double.parseDouble(args[++i]); break;
                    case "--warmup": o.warmupSec = Double.parseDouble(args[++i]); break;
                    case "--no-batching-compare": o.compareBatching = false; break;
                    case "--slow-pct": o.slowPct = Integer.parseInt(args[++i]); break;
                    case "--scale": {
                        String[] parts = args[++i].split(",");
                        o.scale = new int[parts.length];
                        for (int k = 0; k < parts.length; k++) {
                            o.scale[k] = Integer.parseInt(parts[k].trim());
                        }
                        break;
                    }
                    case "--table-file": o.tableFile = args[++i]; break;
                    case "--dialect": o.dialect = DirectClient.checkDialect(args[++i]); break;
                    case "--client": o.client = ClientKind.parse(args[++i]); break;
                    case "--idle-sockets": o.idleSockets = Integer.parseInt(args[++i]); break;
                    case "--windows": o.windows = Math.max(1, Integer.parseInt(args[++i])); break;
                    case "--flood-chunks": o.floodChunks = Integer.parseInt(args[++i]); break;
                    case "--flood-chars": o.floodChars = Integer.parseInt(args[++i]); break;
                    case "--server-sndbuf": o.serverSndbuf = Integer.parseInt(args[++i]); break;
                    case "--server-config": {
                        String kv = args[++i];
                        int eq = kv.indexOf('=');
                        if (eq < 1) {
                            throw new IllegalArgumentException("--server-config wants key=value, got " + kv);
                        }
                        o.serverConfig.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
                        break;
                    }
                    default:
                        throw new IllegalArgumentException("unknown option " + a + "\n" + usage());
                }
            }
            if (o.pacingMicros <= 0) {
                // open-loop concurrency is derived from the stream's length; a flood has none
                throw new IllegalArgumentException("--pacing-ms must be > 0 for the open-loop phases"
                        + " (T13 floods its own sockets: --flood-chunks, --flood-chars)");
            }
            return o;
        }

        long streamNanos() {
            return (long) chunks * pacingMicros * 1000 + ttftMicros * 1000;
        }
    }

    static String usage() {
        return "LoadHarness [--smoke] [--streams N] [--latency-streams N] [--chunks N] [--pacing-ms MS]"
                + " [--chunk-chars N] [--reasoning-pct P] [--ttft-ms MS] [--sockets-per-user K]"
                + " [--duration S] [--warmup S] [--no-batching-compare] [--slow-pct P] [--scale 1,10,100] [--table-file F]"
                + " [--dialect openai|anthropic] [--client ws|socketio|both] [--idle-sockets N]"
                + " [--windows K] [--server-config key=value]... [--server-sndbuf BYTES] [--flood-chunks N] [--flood-chars N]";
    }

    enum Path3 { DIRECT, SSE, WS }

    /** What one phase measured. */
    static final class PhaseResult {
        final String name;
        final Histogram chunkLatency = new Histogram(TimeUnit.SECONDS.toNanos(120), 3);
        final Histogram ttft = new Histogram(TimeUnit.SECONDS.toNanos(120), 3);
        /** intended start → the mock stamps chunk 1: the request's trip to the upstream (plus the mock's head write). */
        final Histogram toUpstream = new Histogram(TimeUnit.SECONDS.toNanos(120), 3);
        /** The Socket.IO sockets' share; the two above hold the plain WebSockets' (and direct/SSE). */
        final Histogram sioChunkLatency = new Histogram(TimeUnit.SECONDS.toNanos(120), 3);
        final Histogram sioTtft = new Histogram(TimeUnit.SECONDS.toNanos(120), 3);
        final Path3 path;
        int streams;
        int readers;        // one per stream, or sockets-per-user per stream on the WebSocket path
        int readersOk;
        long chunks;        // chunk stamps received (over all readers)
        long frames;        // delta frames (or SSE data lines) received over all readers
        long wsFrames;      // every ai_progress frame at the sockets
        long chunksSent;    // by the mock during the window
        long upstreamConnections; // opened to the mock during the window
        long maxGapNanos;
        long gapsOverTwicePacing;
        double windowSec;
        long cpuNanos;
        long allocBytes;
        long serverCpuNanos;   // Jetty + plugin threads only (ServerThreads)
        long serverAllocBytes;
        final List<String> errors = new ArrayList<>();

        PhaseResult(String name, Path3 path) {
            this.name = name;
            this.path = path;
        }

        double cpuMicrosPerChunk() {
            return chunksSent == 0 ? Double.NaN : cpuNanos / 1000.0 / chunksSent;
        }

        double allocPerChunk() {
            return chunksSent == 0 ? Double.NaN : (double) allocBytes / chunksSent;
        }

        double serverCpuMicrosPerChunk() {
            return chunksSent == 0 ? Double.NaN : serverCpuNanos / 1000.0 / chunksSent;
        }

        double serverAllocPerChunk() {
            return chunksSent == 0 ? Double.NaN : (double) serverAllocBytes / chunksSent;
        }
    }

    private final Options o;
    private final PrintStream out;
    private final HttpClient http;
    private PacedMock mock;
    private final List<String> harnessErrors = new ArrayList<>();
    final List<String[]> table = new ArrayList<>();
    private List<String[]> idleSocketRows;
    private LoadWindows windows;
    private SlowConsumers.Outcome t13Reference;
    private SlowConsumers.Outcome t13Stuck;

    LoadHarness(Options o, PrintStream out) {
        this.o = o;
        this.out = out;
        // one client for every HTTP path (direct and via plugin), so client costs cancel out
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        this.serverThreads = ServerThreads.afterHarnessClients();
    }

    private final ServerThreads serverThreads;

    public static void main(String[] args) throws Exception {
        // Jetty closes idle connections after 30 s; the JDK client keeps them 1200 s by default and
        // then races a request onto a connection the server just closed ("header parser received no
        // bytes"). Retire them first: that is the harness's client, not the plugin, failing.
        if (System.getProperty("jdk.httpclient.keepalive.timeout") == null) {
            System.setProperty("jdk.httpclient.keepalive.timeout", "20");
        }
        Options o = Options.parse(args);
        int status = new LoadHarness(o, System.out).run();
        System.exit(status);
    }

    /** Runs every phase and prints the table; the exit status (0 = harness worked). */
    int run() throws Exception {
        out.println("# ai-progress load harness  " + machine());
        out.printf(Locale.ROOT, "# knobs: streams=%d latency-streams=%d chunks=%d pacing=%.1fms chunk-chars=%d reasoning=%d%%"
                        + " ttft=%.1fms sockets/user=%d duration=%.0fs warmup=%.0fs dialect=%s client=%s%n",
                o.streams, o.latencyStreams, o.chunks, o.pacingMicros / 1000.0, o.chunkChars, o.reasoningPct,
                o.ttftMicros / 1000.0, o.socketsPerUser, o.durationSec, o.warmupSec, o.dialect, o.client);
        out.println("# knobs: windows=" + o.windows + " server-config=" + o.serverConfig + " server-sndbuf="
                + (o.serverSndbuf > 0 ? o.serverSndbuf : "os"));
        mock = new PacedMock();
        int mostStreams = o.streams;
        for (int step : o.scale) {
            mostStreams = Math.max(mostStreams, step);
        }
        int users = Math.max(2, (int) Math.ceil(mostStreams * 1.3) + 2);
        Map<String, String> realm = new LinkedHashMap<>();
        for (int u = 0; u < users; u++) {
            realm.put("u" + u, "p" + u);
        }
        if (o.slowPct > 0) {
            SlowConsumers.addUsers(realm, o);
        }
        try (EmbeddedJetty adaptive = server(realm, 0, 0)) {
            Fleet fleet = new Fleet(adaptive, users, o.socketsPerUser);
            try {
                // warm-up: every path once, discarded (JIT, connection pools)
                if (o.warmupSec > 0) {
                    double keep = o.durationSec;
                    runOneAtATime("warmup-direct", Path3.DIRECT, null, Math.max(3, o.latencyStreams / 3));
                    runOneAtATime("warmup-sse", Path3.SSE, fleet, Math.max(3, o.latencyStreams / 3));
                    runOneAtATime("warmup-ws", Path3.WS, fleet, Math.max(3, o.latencyStreams / 3));
                    o.durationSec = o.warmupSec;
                    runLoad("warmup-load-ws", Path3.WS, fleet, o.streams);
                    o.durationSec = keep;
                }
                Histogram rtt = jettyRoundTrips(adaptive, Math.max(10, o.latencyStreams * 2));
                PhaseResult d1 = runOneAtATime("1-stream direct", Path3.DIRECT, null, o.latencyStreams);
                PhaseResult s1 = runOneAtATime("1-stream plugin SSE", Path3.SSE, fleet, o.latencyStreams);
                PhaseResult w1 = runOneAtATime("1-stream plugin WS", Path3.WS, fleet,
                        o.client.oneAtATimeStreams(o.latencyStreams, o.socketsPerUser));
                windows = new LoadWindows(o.windows);
                for (int k = 0; k < o.windows; k++) {
                    windows.direct.add(runLoad("load direct" + windows.suffix(k), Path3.DIRECT, null, o.streams));
                    windows.via.add(runLoad("load plugin WS adaptive" + windows.suffix(k), Path3.WS, fleet, o.streams));
                }
                PhaseResult dl = windows.direct();
                PhaseResult wl = windows.via();
                PhaseResult sl = null;
                SlowConsumers slow = null;
                if (o.slowPct > 0) {
                    slow = new SlowConsumers(o, http, adaptive, mock.port());
                    SlowConsumers.Login login = (user, pw) -> login(adaptive, user, pw);
                    t13Reference = slow.phase(false, login,
                            () -> runLoad("load plugin WS + flood, reading", Path3.WS, fleet, o.streams));
                    out.println("# T13 " + SlowConsumers.describe(t13Reference));
                    t13Stuck = slow.phase(true, login,
                            () -> runLoad("load plugin WS + flood, stuck", Path3.WS, fleet, o.streams));
                    out.println("# T13 " + SlowConsumers.describe(t13Stuck));
                    for (String e : t13Reference.errors) {
                        harnessErrors.add("T13 reading: " + e);
                    }
                    for (String e : t13Stuck.errors) {
                        harnessErrors.add("T13 stuck: " + e);
                    }
                    sl = t13Stuck.others;
                }
                PhaseResult fl = null;
                if (o.compareBatching) {
                    try (EmbeddedJetty fixed = server(realm, 50, 100)) {
                        Fleet fixedFleet = new Fleet(fixed, users, o.socketsPerUser);
                        try {
                            fl = runLoad("load plugin WS fixed 50/100", Path3.WS, fixedFleet, o.streams);
                        } finally {
                            fixedFleet.close();
                        }
                    }
                }
                List<PhaseResult> scale = new ArrayList<>();
                for (int s : o.scale) {
                    if (s > users) {
                        harnessErrors.add("scale step " + s + " > users " + users + " (raise --streams)");
                        continue;
                    }
                    scale.add(runLoad("scale " + s + " direct", Path3.DIRECT, null, s));
                    scale.add(runLoad("scale " + s + " plugin WS", Path3.WS, fleet, s));
                }
                if (o.idleSockets > 0) {
                    idleSocketRows = IdleSocketsRun.forHarness(o.idleSockets, out, harnessErrors);
                }
                buildTable(d1, s1, w1, dl, wl, fl, sl, slow, rtt);
                printTable();
                if (!scale.isEmpty()) {
                    printScale(scale);
                }
            } finally {
                fleet.close();
            }
        } finally {
            mock.close();
        }
        out.println("# load average at end: " + loadAverage());
        if (o.client.hasSocketIo()) {
            out.println("# Socket.IO server pings answered: " + SocketIoClient.PONGS.get());
        }
        if (!harnessErrors.isEmpty()) {
            out.println("# HARNESS ERRORS (" + harnessErrors.size() + "):");
            harnessErrors.stream().limit(20).forEach(e -> out.println("#   " + e));
            return 1;
        }
        out.println("# harness OK: every frame of every stream arrived, in order");
        return 0;
    }

    /** Round trips of a trivial request through the same client and Jetty: the part of T1 that is not the plugin's chat path. */
    private Histogram jettyRoundTrips(EmbeddedJetty server, int count) throws Exception {
        Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(120), 3);
        HttpRequest req = HttpRequest.newBuilder(server.uri("/ai-progress/providers")).GET().build();
        for (int i = 0; i < count + 10; i++) {
            long t = System.nanoTime();
            http.send(req, HttpResponse.BodyHandlers.ofString());
            if (i >= 10) {
                h.recordValue(System.nanoTime() - t);
            }
        }
        return h;
    }

    private EmbeddedJetty server(Map<String, String> realm, int minChars, int intervalMs) throws Exception {
        EmbeddedJetty.Builder b = EmbeddedJetty.builder().users(realm)
                .initParam("ai-progress.providers", "mock")
                .initParam("ai-progress.provider.mock.dialect", o.dialect)
                .initParam("ai-progress.provider.mock.base-url", "http://127.0.0.1:" + mock.port())
                .initParam("ai-progress.provider.mock.model", "m")
                .initParam("ai-progress.emit.min-chars", Integer.toString(minChars))
                .initParam("ai-progress.emit.interval-ms", Integer.toString(intervalMs))
                .initParam("ai-progress.limits.max-concurrent-per-user", "1000")
                .initParam("ai-progress.gateway.retries", "0")
                // smoke runs last seconds: a short heartbeat makes them cross the Socket.IO ping/pong path
                // (--server-config, applied after, may override it)
                .initParam("ai-progress.realtime.ping-interval", o.smoke ? "3s" : "25s");
        o.serverConfig.forEach(b::initParam);
        if (o.serverSndbuf > 0) {
            b.connector(c -> c.setAcceptedSendBufferSize(o.serverSndbuf));
        }
        return b.start();
    }

    // ---------------------------------------------------------------- users and sockets

    /** Logged-in users, each with K WebSockets (plain or Socket.IO, per --client) that route frames to receivers by task_id. */
    final class Fleet implements AutoCloseable {
        final EmbeddedJetty server;
        final String[] sids;
        final List<List<Sock>> sockets = new ArrayList<>();
        private int next;

        Fleet(EmbeddedJetty server, int users, int perUser) throws Exception {
            this.server = server;
            sids = new String[users];
            List<CompletableFuture<WebSocket>> opening = new ArrayList<>();
            for (int u = 0; u < users; u++) {
                sids[u] = login(server, "u" + u, "p" + u);
                List<Sock> mine = new ArrayList<>();
                for (int k = 0; k < perUser; k++) {
                    Sock s = new Sock();
                    mine.add(s);
                    s.socketIo = o.client.socketIo(u, k);
                    if (s.socketIo) {
                        opening.add(SocketIoClient.open(http, server.baseUri().getPort(), sids[u], s::onMessage, s)
                                .whenComplete((w, e) -> s.ws = w));
                        continue;
                    }
                    URI ws = URI.create("ws://127.0.0.1:" + server.baseUri().getPort() + "/ai-progress/ws");
                    opening.add(http.newWebSocketBuilder().header("Cookie", "sid=" + sids[u])
                            .connectTimeout(Duration.ofSeconds(10)).buildAsync(ws, s)
                            .whenComplete((w, e) -> s.ws = w));
                }
                sockets.add(mine);
            }
            CompletableFuture.allOf(opening.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
        }

        /** Users are taken round-robin; the pool is larger than the concurrency, so normally one stream per user. */
        synchronized int nextUser() {
            int u = next;
            next = (next + 1) % sids.length;
            return u;
        }

        @Override
        public void close() {
            for (List<Sock> mine : sockets) {
                for (Sock s : mine) {
                    if (s.ws != null) {
                        s.ws.abort();
                    }
                }
            }
        }
    }

    private String login(EmbeddedJetty server, String user, String password) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.uri("/api/method/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("usr=" + user + "&pwd=" + password)).build(),
                HttpResponse.BodyHandlers.ofString());
        for (String c : r.headers().allValues("set-cookie")) {
            if (c.startsWith("sid=")) {
                int semi = c.indexOf(';');
                return c.substring(4, semi < 0 ? c.length() : semi);
            }
        }
        throw new IllegalStateException("login of " + user + " gave no sid: " + r.statusCode() + " " + r.body());
    }

    /**
     * One plain WebSocket: timestamps each complete text message and hands it to its task's receiver.
     * For a Socket.IO socket it is only the router behind a {@link SocketIoClient}, which strips nothing:
     * a {@code 42["ai_progress",{...}]} frame carries the same fields this reads.
     */
    final class Sock implements WebSocket.Listener {
        volatile WebSocket ws;
        boolean socketIo;
        final Map<String, SockTask> tasks = new ConcurrentHashMap<>();
        final AtomicLong frames = new AtomicLong();
        private final TextMessages messages = new TextMessages();

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            long now = System.nanoTime();
            String msg = messages.accept(data, last);
            if (msg != null) {
                onMessage(msg, now);
            }
            webSocket.request(1);
            return null;
        }

        private void onMessage(String msg, long now) {
            if (!msg.contains("\"ai_progress\"")) {
                return;
            }
            frames.incrementAndGet();
            String task = field(msg, "\"task_id\":\"");
            SockTask t = task == null ? null : tasks.get(task);
            if (t == null) {
                return; // another stream's late frame, or the replay of an old task
            }
            String type = field(msg, "\"type\":\"");
            if ("reasoning".equals(type) || "text".equals(type)) {
                t.receiver.onDelta(field(msg, "\"text\":\""), now);
            } else if ("completion".equals(type) || "error".equals(type)) {
                if ("error".equals(type)) {
                    t.receiver.fail("error event: " + msg);
                }
                t.receiver.onEnd();
                tasks.remove(task);
                t.done.complete(null);
            }
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            for (SockTask t : tasks.values()) {
                t.receiver.fail("socket error " + error);
                t.done.complete(null);
            }
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            for (SockTask t : tasks.values()) {
                t.receiver.fail("socket closed " + statusCode + " " + reason);
                t.done.complete(null);
            }
            return null;
        }
    }

    static final class SockTask {
        final StreamReceiver receiver;
        final CompletableFuture<Void> done = new CompletableFuture<>();

        SockTask(StreamReceiver receiver) {
            this.receiver = receiver;
        }
    }

    /** The value of a JSON string field, assuming no escapes (the harness's texts have none). */
    static String field(String json, String key) {
        int i = json.indexOf(key);
        if (i < 0) {
            return null;
        }
        int start = i + key.length();
        int end = json.indexOf('"', start);
        return end < 0 ? null : json.substring(start, end);
    }

    // ---------------------------------------------------------------- one stream

    /** Starts one stream on the given path; completes when every reader has seen its end. */
    private CompletableFuture<List<StreamReceiver>> startStream(Path3 path, Fleet fleet, String taskId,
            long intended, PhaseResult r) {
        String spec = PacedMock.spec(o.chunks, o.pacingMicros, o.chunkChars, o.reasoningPct, o.ttftMicros);
        List<StreamReceiver> receivers = new ArrayList<>();
        Object lock = r;
        if (path == Path3.DIRECT) {
            StreamReceiver rec = new StreamReceiver(intended, o.chunks, r.chunkLatency, r.ttft, lock);
            receivers.add(rec);
            HttpRequest req = DirectClient.request(o.dialect, mock.port(), spec);
            return http.sendAsync(req, HttpResponse.BodyHandlers.fromLineSubscriber(DirectClient.lines(o.dialect, rec)))
                    .handle((resp, e) -> {
                        if (e != null) {
                            rec.fail("direct request failed: " + e);
                        } else if (!rec.finished) {
                            rec.onEnd();
                        }
                        return receivers;
                    });
        }
        int user = fleet.nextUser();
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"" + spec + "\"}],\"provider\":\"mock\",\"model\":\"m\","
                + "\"task_id\":\"" + taskId + "\"}";
        HttpRequest.Builder rb = HttpRequest.newBuilder(fleet.server.uri("/api/method/ai_assistant.api.chat_completion"))
                .header("Content-Type", "application/json").header("Cookie", "sid=" + fleet.sids[user])
                .timeout(Duration.ofNanos(o.streamNanos() + TimeUnit.SECONDS.toNanos(60)))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (path == Path3.SSE) {
            StreamReceiver rec = new StreamReceiver(intended, o.chunks, r.chunkLatency, r.ttft, lock);
            receivers.add(rec);
            return http.sendAsync(rb.header("Accept", "text/event-stream").build(),
                            HttpResponse.BodyHandlers.fromLineSubscriber(new Lines(rec, false)))
                    .handle((resp, e) -> {
                        if (e != null) {
                            rec.fail("SSE request failed: " + e);
                        } else if (resp.statusCode() != 200) {
                            rec.fail("SSE status " + resp.statusCode());
                        }
                        if (!rec.finished) {
                            rec.onEnd();
                        }
                        return receivers;
                    });
        }
        List<CompletableFuture<Void>> waits = new ArrayList<>();
        for (Sock s : fleet.sockets.get(user)) {
            StreamReceiver rec = new StreamReceiver(intended, o.chunks, s.socketIo ? r.sioChunkLatency : r.chunkLatency,
                    s.socketIo ? r.sioTtft : r.ttft, lock);
            receivers.add(rec);
            SockTask t = new SockTask(rec);
            s.tasks.put(taskId, t);
            waits.add(t.done);
        }
        CompletableFuture<HttpResponse<Void>> reply = http.sendAsync(rb.build(), HttpResponse.BodyHandlers.discarding());
        CompletableFuture<Void> all = CompletableFuture.allOf(waits.toArray(new CompletableFuture[0]));
        return reply.handle((resp, e) -> {
            if (e != null || resp.statusCode() != 200) {
                for (StreamReceiver rec : receivers) {
                    rec.fail("chat request " + (e != null ? e.toString() : "status " + resp.statusCode()));
                }
                for (Sock s : fleet.sockets.get(user)) {
                    SockTask t = s.tasks.remove(taskId);
                    if (t != null) {
                        t.done.complete(null);
                    }
                }
            }
            return null;
        }).thenCombine(all, (a, b) -> receivers);
    }

    /** SSE lines of one reply: the mock's OpenAI chunks (direct) or the plugin's ai_progress events. */
    static final class Lines implements Flow.Subscriber<String> {
        private final StreamReceiver rec;
        private final boolean direct;
        private Flow.Subscription sub;

        Lines(StreamReceiver rec, boolean direct) {
            this.rec = rec;
            this.direct = direct;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            sub = subscription;
            sub.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            long now = System.nanoTime();
            if (!line.startsWith("data:")) {
                return;
            }
            if (direct) {
                if (line.contains("[DONE]")) {
                    rec.onEnd();
                    return;
                }
                String t = field(line, "\"reasoning_content\":\"");
                if (t == null) {
                    t = field(line, "\"content\":\"");
                }
                if (t != null) {
                    rec.onDelta(t, now);
                }
                return;
            }
            String type = field(line, "\"type\":\"");
            if ("reasoning".equals(type) || "text".equals(type)) {
                rec.onDelta(field(line, "\"text\":\""), now);
            } else if ("completion".equals(type)) {
                rec.onEnd();
            } else if ("error".equals(type)) {
                rec.fail("error event: " + line);
                rec.onEnd();
            }
        }

        @Override
        public void onError(Throwable throwable) {
            rec.fail("read failed: " + throwable);
        }

        @Override
        public void onComplete() {
        }
    }

    // ---------------------------------------------------------------- phases

    private PhaseResult runOneAtATime(String name, Path3 path, Fleet fleet, int count) throws Exception {
        PhaseResult r = new PhaseResult(name, path);
        Meter m = new Meter();
        List<StreamReceiver> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long intended = System.nanoTime();
            CompletableFuture<List<StreamReceiver>> f = startStream(path, fleet, "one-" + name.hashCode() + "-" + i, intended, r);
            all.addAll(await(f, o.streamNanos() + TimeUnit.SECONDS.toNanos(30), name));
            r.streams++;
        }
        finish(r, m, all);
        return r;
    }

    /** Open loop: starts at rate = concurrency / stream length for --duration, latency from the intended start. */
    private PhaseResult runLoad(String name, Path3 path, Fleet fleet, int concurrency) throws Exception {
        PhaseResult r = new PhaseResult(name, path);
        long interval = Math.max(1, o.streamNanos() / concurrency);
        int total = (int) Math.max(concurrency, Math.round(o.durationSec * 1e9 / interval));
        List<CompletableFuture<List<StreamReceiver>>> futures = new ArrayList<>(total);
        Meter m = new Meter();
        long t0 = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5);
        long behind = 0;
        for (int i = 0; i < total; i++) {
            long intended = t0 + i * interval;
            for (long now = System.nanoTime(); now < intended; now = System.nanoTime()) {
                LockSupport.parkNanos(intended - now);
            }
            behind = Math.max(behind, System.nanoTime() - intended);
            futures.add(startStream(path, fleet, "l" + Math.abs(name.hashCode()) + "-" + i, intended, r));
            r.streams++;
        }
        List<StreamReceiver> all = new ArrayList<>();
        long deadline = System.nanoTime() + o.streamNanos() + TimeUnit.SECONDS.toNanos(60);
        for (CompletableFuture<List<StreamReceiver>> f : futures) {
            all.addAll(await(f, Math.max(1, deadline - System.nanoTime()), name));
        }
        finish(r, m, all);
        if (behind > interval * 2) {
            out.printf(Locale.ROOT, "# note: %s: the scheduler fell %.1f ms behind its start times (latency still counted from the intended start)%n",
                    name, behind / 1e6);
        }
        return r;
    }

    private List<StreamReceiver> await(CompletableFuture<List<StreamReceiver>> f, long nanos, String phase) {
        try {
            return f.get(nanos, TimeUnit.NANOSECONDS);
        } catch (Exception e) {
            harnessErrors.add(phase + ": a stream did not finish in time (" + e + ")");
            return List.of();
        }
    }

    private void finish(PhaseResult r, Meter m, List<StreamReceiver> all) {
        m.stop(r);
        long pacing = o.pacingMicros * 1000;
        for (StreamReceiver rec : all) {
            r.frames += rec.frames;
            r.chunks += rec.lastSeq;
            r.maxGapNanos = Math.max(r.maxGapNanos, rec.maxGapNanos);
            if (rec.firstStampNanos != 0) {
                r.toUpstream.recordValue(Math.max(0, rec.firstStampNanos - rec.intendedStartNanos));
            }
            if (rec.maxGapNanos > 2 * pacing) {
                r.gapsOverTwicePacing++;
            }
            if (rec.ok()) {
                r.readersOk++;
            } else {
                r.errors.add(rec.error == null ? "unfinished" : rec.error);
            }
        }
        r.readers = r.streams * (r.path == Path3.WS ? o.socketsPerUser : 1);
        if (all.size() != r.readers) {
            r.errors.add((r.readers - all.size()) + " readers never finished");
        }
        for (String e : r.errors.subList(0, Math.min(5, r.errors.size()))) {
            harnessErrors.add(r.name + ": " + e);
        }
        if (r.errors.size() > 5) {
            harnessErrors.add(r.name + ": ... " + (r.errors.size() - 5) + " more");
        }
        out.printf(Locale.ROOT, "# phase %-30s streams=%d readers ok=%d/%d chunks=%d frames=%d window=%.1fs chunk p50=%s p99=%s max=%s ttft p50=%s to-upstream p50=%s maxgap=%s mock-conns=%d load=%s%n",
                r.name, r.streams, r.readersOk, r.readers, r.chunks, r.frames, r.windowSec,
                ms(r.chunkLatency.getValueAtPercentile(50)), ms(r.chunkLatency.getValueAtPercentile(99)),
                ms(r.chunkLatency.getMaxValue()), ms(r.ttft.getValueAtPercentile(50)),
                ms(r.toUpstream.getValueAtPercentile(50)), ms(r.maxGapNanos), r.upstreamConnections, loadAverage());
    }

    /** Process CPU time, bytes allocated by live threads, chunks the mock sent, over a phase. */
    final class Meter {
        private final long cpu0 = processCpu();
        private final long alloc0 = allocated();
        private final long[] server0 = serverThreads.totals();
        private final long sent0 = mock.chunksSent.get();
        private final long conn0 = mock.connections.get();
        private final long t0 = System.nanoTime();

        void stop(PhaseResult r) {
            r.windowSec = (System.nanoTime() - t0) / 1e9;
            r.cpuNanos = processCpu() - cpu0;
            r.allocBytes = allocated() - alloc0;
            long[] server = serverThreads.totals();
            r.serverCpuNanos = server[0] - server0[0];
            r.serverAllocBytes = server[1] - server0[1];
            r.chunksSent = mock.chunksSent.get() - sent0;
            r.upstreamConnections = mock.connections.get() - conn0;
        }
    }

    static long processCpu() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean) {
            return ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
        }
        return -1;
    }

    /** Sum over live threads; a thread that died inside the window takes its bytes with it (pools keep theirs). */
    static long allocated() {
        java.lang.management.ThreadMXBean t = ManagementFactory.getThreadMXBean();
        if (t instanceof com.sun.management.ThreadMXBean) {
            com.sun.management.ThreadMXBean st = (com.sun.management.ThreadMXBean) t;
            long sum = 0;
            for (long b : st.getThreadAllocatedBytes(st.getAllThreadIds())) {
                if (b > 0) {
                    sum += b;
                }
            }
            return sum;
        }
        return -1;
    }

    // ---------------------------------------------------------------- the table

    private void buildTable(PhaseResult d1, PhaseResult s1, PhaseResult w1, PhaseResult dl, PhaseResult wl, PhaseResult fl,
            PhaseResult sl, SlowConsumers slow, Histogram rtt) {
        table.add(new String[] {"metric", "direct", "via plugin", "difference", "ratio", "target", "pass/fail"});
        latencyRow("T1 TTFT, SSE reply, 1 stream, p50", d1.ttft, s1.ttft, 50, 500_000, "added p50 <= 0.5 ms");
        latencyRow("T1 TTFT, SSE reply, 1 stream, p99", d1.ttft, s1.ttft, 99, 1_500_000, "added p99 <= 1.5 ms");
        latencyRow("T2 TTFT at the socket, 1 stream, p50", d1.ttft, w1.ttft, 50, 700_000, "added p50 <= 0.7 ms");
        if (o.client.hasSocketIo()) {
            latencyRow("T2 TTFT at the socket, 1 stream, p50 (Socket.IO)", d1.ttft, w1.sioTtft, 50, 700_000, "added p50 <= 0.7 ms");
        }
        latencyRow("   request to upstream (intended start -> chunk 1 stamped), p50", d1.toUpstream, s1.toUpstream, 50, -1, "(info: T1 split)");
        table.add(new String[] {"   same client -> Jetty -> reply, GET /ai-progress/providers, p50", "",
                ms(rtt.getValueAtPercentile(50)), "", "", "(info: the client+Jetty share of T1)", ""});
        latencyRow("T3 per chunk, WS, 1 stream, p50", d1.chunkLatency, w1.chunkLatency, 50, 100_000, "added p50 <= 100 us");
        latencyRow("T3 per chunk, WS, 1 stream, p99", d1.chunkLatency, w1.chunkLatency, 99, 300_000, "added p99 <= 300 us");
        if (o.client.hasSocketIo()) {
            latencyRow("T3 per chunk, 1 stream, p50 (Socket.IO)", d1.chunkLatency, w1.sioChunkLatency, 50, 100_000, "added p50 <= 100 us");
            latencyRow("T3 per chunk, 1 stream, p99 (Socket.IO)", d1.chunkLatency, w1.sioChunkLatency, 99, 300_000, "added p99 <= 300 us");
        }
        latencyRow("   per chunk, SSE reply, 1 stream, p50", d1.chunkLatency, s1.chunkLatency, 50, -1, "(info)");
        latencyRow("   per chunk, SSE reply, 1 stream, p99", d1.chunkLatency, s1.chunkLatency, 99, -1, "(info)");
        String load = " @" + o.streams + " streams";
        latencyRow("T4 per chunk, WS" + load + ", p50", dl.chunkLatency, wl.chunkLatency, 50, -1, "(info)");
        latencyRow("T4 per chunk, WS" + load + ", p99", dl.chunkLatency, wl.chunkLatency, 99, 5_000_000, "added p99 <= 5 ms");
        latencyRow("T4 per chunk, WS" + load + ", p99.9", dl.chunkLatency, wl.chunkLatency, 99.9, -1, "(info)");
        table.addAll(windows.rows(load));
        if (o.client.hasSocketIo()) {
            latencyRow("T4 per chunk, Socket.IO" + load + ", p50", dl.chunkLatency, wl.sioChunkLatency, 50, -1, "(info)");
            latencyRow("T4 per chunk, Socket.IO" + load + ", p99", dl.chunkLatency, wl.sioChunkLatency, 99, 5_000_000, "added p99 <= 5 ms");
        }
        long twice = 2 * o.pacingMicros * 1000;
        table.add(new String[] {"T4 max gap between frames" + load, ms(dl.maxGapNanos), ms(wl.maxGapNanos),
                ms(wl.maxGapNanos - dl.maxGapNanos), ratio(wl.maxGapNanos, dl.maxGapNanos),
                "no gap > 2x pacing (" + ms(twice) + ")", wl.maxGapNanos <= twice ? "PASS" : "FAIL"});
        boolean allIn = wl.readersOk == wl.readers && wl.errors.isEmpty();
        table.add(new String[] {"T6 streams in order, 40 chunks/s each" + load,
                dl.readersOk + "/" + dl.readers, wl.readersOk + "/" + wl.readers + " readers", "", "",
                ">= 500 concurrent, all in order, no gap > 2x pacing",
                o.streams < 500 ? (allIn ? "n/a (ran " + o.streams + ")" : "FAIL")
                        : (allIn && wl.maxGapNanos <= twice && o.pacingMicros == 25_000 ? "PASS" : "FAIL")});
        double dRate = dl.chunks / dl.windowSec;
        long wsFrames = wl.frames;
        double wRate = wsFrames / wl.windowSec;
        table.add(new String[] {"T7 delta frames/s to sockets (" + o.socketsPerUser + "/user)" + load,
                f0(dRate), f0(wRate), f0(wRate - dRate), ratio(wRate, dRate), ">= 50k/s",
                wRate >= 50_000 ? "PASS" : "FAIL (offered load " + f0(o.streams * 1e6 / o.pacingMicros * o.socketsPerUser) + "/s)"});
        table.add(new String[] {"CPU us/chunk (whole process)" + load, f1(dl.cpuMicrosPerChunk()), f1(wl.cpuMicrosPerChunk()),
                f1(wl.cpuMicrosPerChunk() - dl.cpuMicrosPerChunk()), ratio(wl.cpuMicrosPerChunk(), dl.cpuMicrosPerChunk()),
                "(info)", ""});
        double dA = dl.allocPerChunk();
        double wA = wl.allocPerChunk();
        table.add(new String[] {"   bytes allocated/chunk (whole process)" + load, f0(dA), f0(wA), f0(wA - dA), ratio(wA, dA),
                "(info: includes the harness's socket clients)", ""});
        // the direct path has no server: its server-thread figures are zero by construction
        table.add(new String[] {"T14 bytes allocated/chunk, server threads (Jetty + plugin + its upstream client)" + load,
                "0", f0(wl.serverAllocPerChunk()), f0(wl.serverAllocPerChunk()), "",
                "<= 2 KB", wl.serverAllocPerChunk() <= 2048 ? "PASS" : "FAIL"});
        table.add(new String[] {"   CPU us/chunk, server threads" + load, "0", f1(wl.serverCpuMicrosPerChunk()),
                f1(wl.serverCpuMicrosPerChunk()), "", "(info)", ""});
        if (fl != null) {
            latencyRow("fixed 50/100 vs adaptive: per chunk p50" + load, wl.chunkLatency, fl.chunkLatency, 50, -1,
                    "(direct col = adaptive)");
            latencyRow("fixed 50/100 vs adaptive: per chunk p99" + load, wl.chunkLatency, fl.chunkLatency, 99, -1,
                    "(direct col = adaptive)");
            double fRate = fl.frames / fl.windowSec;
            table.add(new String[] {"fixed 50/100 vs adaptive: frames/s" + load, f0(wRate), f0(fRate), f0(fRate - wRate),
                    ratio(fRate, wRate), "(direct col = adaptive)", ""});
            table.add(new String[] {"fixed 50/100 vs adaptive: CPU us/chunk" + load, f1(wl.cpuMicrosPerChunk()),
                    f1(fl.cpuMicrosPerChunk()), f1(fl.cpuMicrosPerChunk() - wl.cpuMicrosPerChunk()),
                    ratio(fl.cpuMicrosPerChunk(), wl.cpuMicrosPerChunk()), "(direct col = adaptive)", ""});
        }
        if (idleSocketRows != null) {
            table.addAll(idleSocketRows);
        } else {
            table.add(new String[] {"T8 heap per idle socket", "", "not measured", "", "", "<= 2 KB", "n/a"});
        }
        if (sl == null) {
            table.add(new String[] {"T13 slow consumers", "", "not measured", "", "", "closed <= 1 s past bound", "n/a"});
        } else {
            table.addAll(slow.rows(t13Reference, t13Stuck, load));
        }
    }

    private void latencyRow(String metric, Histogram direct, Histogram via, double pct, long targetAddedNanos, String target) {
        long d = direct.getValueAtPercentile(pct);
        long v = via.getValueAtPercentile(pct);
        String verdict = targetAddedNanos < 0 ? "" : (v - d <= targetAddedNanos ? "PASS" : "FAIL");
        if (via.getTotalCount() == 0) {
            verdict = "no data";
        }
        table.add(new String[] {metric, ms(d), ms(v), ms(v - d), ratio(v, d), target, verdict});
    }

    private void printTable() {
        String markdown = markdown(table);
        out.print(markdown);
        if (o.tableFile != null) {
            try {
                Files.writeString(Path.of(o.tableFile), markdown, StandardCharsets.UTF_8);
            } catch (Exception e) {
                out.println("# could not write " + o.tableFile + ": " + e);
            }
        }
    }

    /** Rows of seven cells as an aligned Markdown table, the first row the header. */
    static String markdown(List<String[]> table) {
        int[] w = new int[7];
        for (String[] row : table) {
            for (int i = 0; i < 7; i++) {
                w[i] = Math.max(w[i], row[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < table.size(); r++) {
            String[] row = table.get(r);
            sb.append('|');
            for (int i = 0; i < 7; i++) {
                sb.append(' ').append(pad(row[i], w[i])).append(" |");
            }
            sb.append('\n');
            if (r == 0) {
                sb.append('|');
                for (int i = 0; i < 7; i++) {
                    sb.append("-".repeat(w[i] + 2)).append('|');
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    private void printScale(List<PhaseResult> scale) {
        long twice = 2 * o.pacingMicros * 1000;
        out.println();
        out.println("| streams | chunks/s offered | direct p99 | plugin WS p99 | added p99 | direct max gap | plugin max gap"
                + " | readers ok | in order, no gap > 2x pacing | server-thread CPU us/chunk | whole-process CPU us/chunk |");
        out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        int ceiling = 0;
        boolean allOkSoFar = true;
        for (int i = 0; i + 1 < scale.size(); i += 2) {
            PhaseResult d = scale.get(i);
            PhaseResult w = scale.get(i + 1);
            long dp = d.chunkLatency.getValueAtPercentile(99);
            long wp = w.chunkLatency.getValueAtPercentile(99);
            String steps = w.name.replace(" plugin WS", "").replace("scale ", "");
            boolean ok = w.readersOk == w.readers && w.maxGapNanos <= twice;
            allOkSoFar &= ok;
            if (allOkSoFar) {
                ceiling = Integer.parseInt(steps.trim());
            }
            out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %d/%d | %s | %s | %s |%n", steps,
                    f0(Integer.parseInt(steps.trim()) * 1e6 / o.pacingMicros), ms(dp), ms(wp), ms(wp - dp),
                    ms(d.maxGapNanos), ms(w.maxGapNanos), w.readersOk, w.readers, ok ? "yes" : "no",
                    f1(w.serverCpuMicrosPerChunk()), f1(w.cpuMicrosPerChunk()));
        }
        out.println("# stream ceiling (largest step with every step up to it in order and no gap > 2x pacing): "
                + (ceiling == 0 ? "none" : Integer.toString(ceiling)));
    }

    private static String pad(String s, int n) {
        return s + " ".repeat(Math.max(0, n - s.length()));
    }

    static String ms(long nanos) {
        if (Math.abs(nanos) < 1_000_000) {
            return String.format(Locale.ROOT, "%.0f us", nanos / 1e3);
        }
        return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    }

    private static String ratio(double via, double direct) {
        return direct <= 0 || Double.isNaN(direct) ? "-" : String.format(Locale.ROOT, "%.2fx", via / direct);
    }

    private static String f0(double v) {
        return String.format(Locale.ROOT, "%.0f", v);
    }

    private static String f1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String loadAverage() {
        try {
            String s = Files.readString(Path.of("/proc/loadavg")).trim();
            String[] p = s.split(" ");
            return p[0] + " " + p[1] + " " + p[2];
        } catch (Exception e) {
            return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    static String machine() {
        Runtime rt = Runtime.getRuntime();
        String gc = ManagementFactory.getGarbageCollectorMXBeans().stream().map(b -> b.getName())
                .reduce((a, b) -> a + "+" + b).orElse("?");
        return String.format(Locale.ROOT, "cpus=%d maxheap=%dMB jdk=%s %s gc=%s load=%s", rt.availableProcessors(),
                rt.maxMemory() >> 20, System.getProperty("java.vm.version"), System.getProperty("java.vm.name"), gc, loadAverage());
    }
}
