package dev.aiprogress.benchmarks.load;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * T8 (docs/PERFORMANCE.md): heap per idle socket, measured in the server's own JVM ({@link ServerUnderTest})
 * so nothing of the client counts, with the container's own cost as the baseline in the same run:
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.aiprogress.benchmarks.load.IdleSocketsRun --sockets 10000
 * java -cp benchmarks/target/benchmarks.jar dev.aiprogress.benchmarks.load.LoadHarness ... --idle-sockets 10000
 * </pre>
 * Order: log every user in, warm up (N bare sockets and a few plugin sockets opened and closed, so
 * Jetty's buffer pools and the plugin's lazy state are primed before any baseline), then for each of
 * bare {@code /bare}, plain {@code /ai-progress/ws}, Socket.IO: settled heap at rest → open N
 * idle sockets → check every one is still open → settled heap → close them. Per socket = (with −
 * rest) / N; plugin-owned = plugin endpoint minus bare. A batch where not every socket connected
 * (or one was closed by the server before the heap was read) reports no figure.
 */
public final class IdleSocketsRun {

    static final String BARE = "bare Jakarta endpoint";
    /** Same URL shape as the Socket.IO sockets: Jetty keeps the request URI and may parse its query either way. */
    static final String BARE_QUERY = "bare Jakarta endpoint + Socket.IO query";
    static final String PLAIN = "plugin plain WS";
    static final String SOCKET_IO = "plugin Socket.IO";
    static final String SOCKET_IO_QUERY = "?EIO=4&transport=websocket";

    static final class Options {
        int sockets = 10_000;
        int socketsPerUser = 10;
        int heapMb = 1024;
        double perSecond = 3000;      // connection attempts per second, bounded so the accept queue never overflows
        int maxInFlight = 200;        // handshakes under way at once
        int warmupPlugin = 200;       // plugin sockets of each kind opened and closed before measuring
        boolean histogram = true;

        static Options parse(String... args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--sockets": o.sockets = Integer.parseInt(args[++i]); break;
                    case "--sockets-per-user": o.socketsPerUser = Integer.parseInt(args[++i]); break;
                    case "--heap-mb": o.heapMb = Integer.parseInt(args[++i]); break;
                    case "--rate": o.perSecond = Double.parseDouble(args[++i]); break;
                    case "--in-flight": o.maxInFlight = Integer.parseInt(args[++i]); break;
                    case "--warmup-plugin": o.warmupPlugin = Integer.parseInt(args[++i]); break;
                    case "--no-histogram": o.histogram = false; break;
                    default:
                        throw new IllegalArgumentException("unknown option " + args[i] + "\nIdleSocketsRun [--sockets N]"
                                + " [--sockets-per-user K] [--heap-mb MB] [--rate PER_S] [--in-flight N] [--warmup-plugin N] [--no-histogram]");
                }
            }
            if (o.sockets < 1 || o.socketsPerUser < 1) {
                throw new IllegalArgumentException("--sockets and --sockets-per-user must be >= 1");
            }
            return o;
        }

        int users() {
            return (sockets + socketsPerUser - 1) / socketsPerUser;
        }
    }

    /** One measured batch. */
    static final class Phase {
        final String name;
        long rest;
        long with;
        long afterClose = -1;
        double closeSec;
        int ready;
        int lost;
        int total;
        String detail = "";
        Map<String, long[]> histoRest;
        Map<String, long[]> histoWith;
        Map<String, long[]> histoAfter;

        Phase(String name) {
            this.name = name;
        }

        boolean complete() {
            return ready == total && lost == 0 && total > 0;
        }

        double perSocket() {
            return (with - rest) / (double) total;
        }

        double leftPerSocket() {
            return afterClose < 0 ? Double.NaN : (afterClose - rest) / (double) total;
        }
    }

    /** What a run produced: table rows (no header), harness errors, and whether the child JVM is gone. */
    static final class Result {
        final List<String[]> rows = new ArrayList<>();
        final List<String> errors = new ArrayList<>();
        final List<Phase> phases = new ArrayList<>();
        Integer childExit;
        boolean childAlive;
    }

    private final Options o;
    private final PrintStream out;

    IdleSocketsRun(Options o, PrintStream out) {
        this.o = o;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        Result r = new IdleSocketsRun(o, System.out).run();
        List<String[]> table = new ArrayList<>();
        table.add(header());
        table.addAll(r.rows);
        System.out.print(Report.markdown(table));
        if (!r.errors.isEmpty()) {
            System.out.println("# HARNESS ERRORS (" + r.errors.size() + "):");
            r.errors.forEach(e -> System.out.println("#   " + e));
        }
        System.exit(r.errors.isEmpty() ? 0 : 1);
    }

    /** LoadHarness's {@code --idle-sockets N}: the T8 rows for its table; errors go to the harness's list. */
    static List<String[]> forHarness(int sockets, PrintStream out, List<String> harnessErrors) {
        Options o = new Options();
        o.sockets = sockets;
        try {
            Result r = new IdleSocketsRun(o, out).run();
            harnessErrors.addAll(r.errors);
            return r.rows;
        } catch (Exception e) {
            harnessErrors.add("T8 idle sockets: " + e);
            return java.util.Collections.singletonList(new String[] {"T8 heap per idle socket", "", "broke: " + e, "", "", "<= 2 KB", "n/a"});
        }
    }

    static String[] header() {
        return new String[] {"metric", "direct", "via plugin", "difference", "ratio", "target", "pass/fail"};
    }

    Result run() throws Exception {
        Result result = new Result();
        int n = o.sockets;
        String limit = ulimit();
        out.printf(Locale.ROOT, "# T8 idle sockets: N=%d, %d users x %d sockets, server JVM -Xms/-Xmx %dm G1, open rate <= %.0f/s, <= %d in flight, ulimit -n %s%n",
                n, o.users(), o.socketsPerUser, o.heapMb, o.perSecond, o.maxInFlight, limit);
        // each JVM holds N sockets plus its jars and selectors; a run that hits the limit would only report "not all connected"
        if (limit.matches("\\d+") && Long.parseLong(limit) < n + 1000L) {
            result.errors.add("T8 idle sockets: ulimit -n " + limit + " is too low for " + n + " sockets (need about N + 1000)");
            buildRows(result);
            return result;
        }
        try (ChildJvm child = ChildJvm.start(o)) {
            try {
                measure(child, result);
            } catch (Exception e) {
                result.errors.add("T8 idle sockets broke: " + e);
                out.println("# T8 server stderr (tail):");
                child.stderrTail(20).forEach(l -> out.println("#   " + l));
            } finally {
                result.childExit = child.quit();
                result.childAlive = child.process.isAlive();
            }
        }
        buildRows(result);
        return result;
    }

    private void measure(ChildJvm child, Result result) throws Exception {
        int n = o.sockets;
        String[] sids = login(child.port, o.users());
        String[] cookies = new String[n];
        for (int i = 0; i < n; i++) {
            cookies[i] = "sid=" + sids[i / o.socketsPerUser];
        }
        try (IdleSocketClient client = new IdleSocketClient(new InetSocketAddress("127.0.0.1", child.port), o.perSecond, o.maxInFlight)) {
            long t0 = System.nanoTime();
            // warm-up: Jetty's pools grow to N sockets' worth once, and first-use state of each endpoint is created
            // the bare sockets carry the same Cookie header: Jetty keeps the upgrade request's headers either way
            warm(client, "/bare", IdleSocketClient.Kind.PLAIN, cookies, result);
            int w = Math.min(n, o.warmupPlugin);
            warm(client, "/ai-progress/ws", IdleSocketClient.Kind.PLAIN, java.util.Arrays.copyOf(cookies, w), result);
            warm(client, "/socket.io/?EIO=4&transport=websocket", IdleSocketClient.Kind.SOCKET_IO,
                    java.util.Arrays.copyOf(cookies, w), result);
            awaitAllClosed(child);
            out.printf(Locale.ROOT, "# T8 warm-up done in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            result.phases.add(phase(child, client, BARE, ServerUnderTest.BARE_PATH, IdleSocketClient.Kind.PLAIN, cookies, result));
            result.phases.add(phase(child, client, PLAIN, "/ai-progress/ws", IdleSocketClient.Kind.PLAIN, cookies, result));
            result.phases.add(phase(child, client, BARE_QUERY, ServerUnderTest.BARE_PATH + SOCKET_IO_QUERY,
                    IdleSocketClient.Kind.PLAIN, cookies, result));
            result.phases.add(phase(child, client, SOCKET_IO, "/socket.io/" + SOCKET_IO_QUERY,
                    IdleSocketClient.Kind.SOCKET_IO, cookies, result));
        }
        if (o.histogram) {
            HeapHistograms.printPluginOwned(out, find(result, BARE), find(result, PLAIN));
            HeapHistograms.printPluginOwned(out, find(result, BARE_QUERY), find(result, SOCKET_IO));
        }
    }

    private void warm(IdleSocketClient client, String path, IdleSocketClient.Kind kind, String[] cookies, Result result)
            throws Exception {
        IdleSocketClient.Batch b = client.open(path, kind, cookies);
        awaitSettled(b);
        if (b.ready.get() != b.total) {
            result.errors.add("T8 warm-up " + b);
        }
        client.closeAll(b);
    }

    private Phase phase(ChildJvm child, IdleSocketClient client, String name, String path, IdleSocketClient.Kind kind,
            String[] cookies, Result result) throws Exception {
        Phase p = new Phase(name);
        p.total = cookies.length;
        p.rest = child.heap();
        if (o.histogram) {
            p.histoRest = HeapHistograms.parseHistogram(child.histogram());
        }
        long t0 = System.nanoTime();
        IdleSocketClient.Batch b = client.open(path, kind, cookies);
        awaitSettled(b);
        double openSec = (System.nanoTime() - t0) / 1e9;
        // a refusal (policy close) can trail the 101 of the plain endpoint: give it time to show
        Thread.sleep(500);
        p.with = child.heap();
        if (o.histogram) {
            p.histoWith = HeapHistograms.parseHistogram(child.histogram());
        }
        p.ready = b.ready.get();
        p.lost = b.lostAfterReady.get();  // read after the heap: a socket lost during it would not have counted
        if (path.startsWith(ServerUnderTest.BARE_PATH)) {
            int open = child.bareOpen();
            if (open != p.total) {
                p.detail = " (server counts " + open + " open)";
                if (open < p.total) {
                    p.lost = Math.max(p.lost, p.total - open);
                }
            }
        }
        client.closeAll(b);
        // under load Jetty and the plugin take seconds to close thousands of sessions; reading the
        // heap before they are done would show a leak that is not there
        long c0 = System.nanoTime();
        int stillOpen = awaitAllClosed(child);
        p.closeSec = (System.nanoTime() - c0) / 1e9;
        if (stillOpen != 0) {
            p.detail += " (" + stillOpen + " sessions still open " + String.format(Locale.ROOT, "%.0f", p.closeSec) + " s after closing)";
        }
        p.afterClose = child.heap();
        if (o.histogram) {
            p.histoAfter = HeapHistograms.parseHistogram(child.histogram());
        }
        if (!p.complete()) {
            result.errors.add("T8 " + name + ": not every socket connected and stayed open: " + b);
        }
        out.printf(Locale.ROOT, "# T8 %-22s ready %d/%d lost %d%s, opened in %.1f s; heap rest %.1f MB, with sockets %.1f MB"
                        + " -> %.0f B/socket; all closed in %.1f s, then %.1f MB (left %.0f B/socket)%n",
                name, p.ready, p.total, p.lost, p.detail, openSec, p.rest / 1048576.0, p.with / 1048576.0, p.perSocket(),
                p.closeSec, p.afterClose / 1048576.0, p.leftPerSocket());
        if (o.histogram) {
            HeapHistograms.printHistogramDelta(out, p);
            HeapHistograms.printLeftAfterClose(out, p);
        }
        return p;
    }

    private void awaitSettled(IdleSocketClient.Batch b) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos((long) Math.max(30, 3 * b.total / o.perSecond));
        while (!b.settled() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    /** Waits up to 30 s for the container to have no open session; what is still open then (-1 = cannot tell). */
    private static int awaitAllClosed(ChildJvm child) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int open = child.openSessions();
        while (open > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
            open = child.openSessions();
        }
        return open;
    }

    // ---------------------------------------------------------------- rows

    private void buildRows(Result r) {
        int n = o.sockets;
        Phase bare = find(r, BARE);
        Phase bareQ = find(r, BARE_QUERY);
        Phase plain = find(r, PLAIN);
        Phase sio = find(r, SOCKET_IO);
        r.rows.add(pluginRow("T8 heap per idle socket, plain WS @" + n + " (direct = bare Jakarta endpoint)", bare, plain));
        r.rows.add(pluginRow("T8 heap per idle socket, Socket.IO @" + n + " (direct = bare Jakarta endpoint, same query)", bareQ, sio));
        r.rows.add(new String[] {"   total heap per idle socket @" + n + " (direct = plain WS, via = Socket.IO)",
                figure(plain), figure(sio), diff(plain, sio), ratio(plain, sio), "(info; container alone ~14 KB per docs/PERFORMANCE.md, T8)", ""});
        r.rows.add(new String[] {"   heap left per socket after closing them @" + n + " (direct = bare)",
                left(bare) + ", +query " + left(bareQ), "plain " + left(plain) + ", Socket.IO " + left(sio), "", "",
                "(info: ~0 = nothing kept)", ""});
        boolean all = r.phases.size() == 4 && r.phases.stream().allMatch(Phase::complete);
        r.rows.add(new String[] {"   idle sockets connected and open at the heap reading", count(bare) + ", +query " + count(bareQ),
                "plain " + count(plain) + ", Socket.IO " + count(sio), "", "", "(must be all)", all ? "all" : "NOT ALL"});
    }

    private static Phase find(Result r, String name) {
        return r.phases.stream().filter(p -> p.name.equals(name)).findFirst().orElse(null);
    }

    private static String[] pluginRow(String metric, Phase bare, Phase via) {
        if (bare == null || via == null || !bare.complete() || !via.complete()) {
            return new String[] {metric, count(bare), count(via), "", "", "plugin-owned <= 2 KB (stretch 1 KB)",
                    "n/a (not all connected)"};
        }
        double d = via.perSocket() - bare.perSocket();
        String verdict = d <= 1024 ? "PASS (stretch)" : d <= 2048 ? "PASS" : "FAIL";
        return new String[] {metric, kb(bare.perSocket()), kb(via.perSocket()), kb(d),
                String.format(Locale.ROOT, "%.2fx", via.perSocket() / bare.perSocket()), "plugin-owned <= 2 KB (stretch 1 KB)", verdict};
    }

    private static String figure(Phase p) {
        return p != null && p.complete() ? kb(p.perSocket()) : "n/a";
    }

    private static String diff(Phase a, Phase b) {
        return a != null && b != null && a.complete() && b.complete() ? kb(b.perSocket() - a.perSocket()) : "";
    }

    private static String ratio(Phase a, Phase b) {
        return a != null && b != null && a.complete() && b.complete()
                ? String.format(Locale.ROOT, "%.2fx", b.perSocket() / a.perSocket()) : "";
    }

    private static String left(Phase p) {
        return p == null || Double.isNaN(p.leftPerSocket()) ? "n/a" : kb(p.leftPerSocket());
    }

    private static String count(Phase p) {
        return p == null ? "not run" : p.ready + "/" + p.total + (p.lost > 0 ? " (" + p.lost + " lost)" : "");
    }

    static String kb(double bytes) {
        return String.format(Locale.ROOT, "%.2f KB", bytes / 1024);
    }

    // ---------------------------------------------------------------- logins and the child JVM

    private static String[] login(int port, int users) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        String[] sids = new String[users];
        for (int u = 0; u < users; u++) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/method/login"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("usr=u" + u + "&pwd=p" + u)).build(), HttpResponse.BodyHandlers.ofString());
            for (String c : r.headers().allValues("set-cookie")) {
                if (c.startsWith("sid=")) {
                    int semi = c.indexOf(';');
                    sids[u] = c.substring(4, semi < 0 ? c.length() : semi);
                }
            }
            if (sids[u] == null) {
                throw new IllegalStateException("login of u" + u + " gave no sid: " + r.statusCode() + " " + r.body());
            }
        }
        return sids;
    }

    private static String ulimit() {
        try {
            Process p = new ProcessBuilder("sh", "-c", "ulimit -n").redirectErrorStream(true).start();
            String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            p.waitFor(5, TimeUnit.SECONDS);
            return s;
        } catch (Exception e) {
            return "?";
        }
    }
}
