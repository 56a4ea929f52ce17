package dev.aiprogress.benchmarks.load;

import dev.aiprogress.testsupport.EmbeddedJetty;
import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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
 * Knobs: {@link HarnessOptions}; phases: {@link Phases}; sockets: {@link Fleet}; the table: {@link Report}.
 */
public final class LoadHarness {

    private final HarnessOptions o;
    private final PrintStream out;
    private final HttpClient http;
    private PacedMock mock;
    private Phases phases;
    private final List<String> harnessErrors = new ArrayList<>();
    private final Report report;
    private List<String[]> idleSocketRows;
    private LoadWindows windows;
    private SlowConsumers.Outcome t13Reference;
    private SlowConsumers.Outcome t13Stuck;

    LoadHarness(HarnessOptions o, PrintStream out) {
        this.o = o;
        this.out = out;
        this.report = new Report(o, out);
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
        HarnessOptions o = HarnessOptions.parse(args);
        int status = new LoadHarness(o, System.out).run();
        System.exit(status);
    }

    /** Runs every phase and prints the table; the exit status (0 = harness worked). */
    int run() throws Exception {
        out.println("# ai-progress load harness  " + Report.machine());
        out.printf(Locale.ROOT, "# knobs: streams=%d latency-streams=%d chunks=%d pacing=%.1fms chunk-chars=%d reasoning=%d%%"
                        + " ttft=%.1fms sockets/user=%d duration=%.0fs warmup=%.0fs dialect=%s client=%s%n",
                o.streams, o.latencyStreams, o.chunks, o.pacingMicros / 1000.0, o.chunkChars, o.reasoningPct,
                o.ttftMicros / 1000.0, o.socketsPerUser, o.durationSec, o.warmupSec, o.dialect, o.client);
        out.println("# knobs: windows=" + o.windows + " server-config=" + o.serverConfig + " server-sndbuf="
                + (o.serverSndbuf > 0 ? o.serverSndbuf : "os"));
        mock = new PacedMock();
        phases = new Phases(o, out, http, mock, serverThreads, harnessErrors);
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
            Fleet fleet = new Fleet(http, o.client, adaptive, users, o.socketsPerUser);
            try {
                // warm-up: every path once, discarded (JIT, connection pools)
                if (o.warmupSec > 0) {
                    double keep = o.durationSec;
                    phases.runOneAtATime("warmup-direct", Path3.DIRECT, null, Math.max(3, o.latencyStreams / 3));
                    phases.runOneAtATime("warmup-sse", Path3.SSE, fleet, Math.max(3, o.latencyStreams / 3));
                    phases.runOneAtATime("warmup-ws", Path3.WS, fleet, Math.max(3, o.latencyStreams / 3));
                    o.durationSec = o.warmupSec;
                    phases.runLoad("warmup-load-ws", Path3.WS, fleet, o.streams);
                    o.durationSec = keep;
                }
                Histogram rtt = jettyRoundTrips(adaptive, Math.max(10, o.latencyStreams * 2));
                PhaseResult d1 = phases.runOneAtATime("1-stream direct", Path3.DIRECT, null, o.latencyStreams);
                PhaseResult s1 = phases.runOneAtATime("1-stream plugin SSE", Path3.SSE, fleet, o.latencyStreams);
                PhaseResult w1 = phases.runOneAtATime("1-stream plugin WS", Path3.WS, fleet,
                        o.client.oneAtATimeStreams(o.latencyStreams, o.socketsPerUser));
                windows = new LoadWindows(o.windows);
                for (int k = 0; k < o.windows; k++) {
                    windows.direct.add(phases.runLoad("load direct" + windows.suffix(k), Path3.DIRECT, null, o.streams));
                    windows.via.add(phases.runLoad("load plugin WS adaptive" + windows.suffix(k), Path3.WS, fleet, o.streams));
                }
                PhaseResult dl = windows.direct();
                PhaseResult wl = windows.via();
                PhaseResult sl = null;
                SlowConsumers slow = null;
                if (o.slowPct > 0) {
                    slow = new SlowConsumers(o, http, adaptive, mock.port());
                    SlowConsumers.Login login = (user, pw) -> Fleet.login(http, adaptive, user, pw);
                    t13Reference = slow.phase(false, login,
                            () -> phases.runLoad("load plugin WS + flood, reading", Path3.WS, fleet, o.streams));
                    out.println("# T13 " + SlowConsumers.describe(t13Reference));
                    t13Stuck = slow.phase(true, login,
                            () -> phases.runLoad("load plugin WS + flood, stuck", Path3.WS, fleet, o.streams));
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
                        Fleet fixedFleet = new Fleet(http, o.client, fixed, users, o.socketsPerUser);
                        try {
                            fl = phases.runLoad("load plugin WS fixed 50/100", Path3.WS, fixedFleet, o.streams);
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
                    scale.add(phases.runLoad("scale " + s + " direct", Path3.DIRECT, null, s));
                    scale.add(phases.runLoad("scale " + s + " plugin WS", Path3.WS, fleet, s));
                }
                if (o.idleSockets > 0) {
                    idleSocketRows = IdleSocketsRun.forHarness(o.idleSockets, out, harnessErrors);
                }
                report.buildTable(d1, s1, w1, dl, wl, fl, sl, slow, rtt, windows, idleSocketRows, t13Reference, t13Stuck);
                report.printTable();
                if (!scale.isEmpty()) {
                    report.printScale(scale);
                }
            } finally {
                fleet.close();
            }
        } finally {
            mock.close();
        }
        out.println("# load average at end: " + Report.loadAverage());
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
}
