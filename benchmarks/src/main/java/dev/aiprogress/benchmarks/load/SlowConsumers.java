package dev.aiprogress.benchmarks.load;

import dev.aiprogress.testsupport.EmbeddedJetty;

import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * T13 (docs/PERFORMANCE.md): slow consumers. Two back-to-back phases run the same load: the others' paced
 * streams (the harness's open loop) plus, on {@code n} extra sockets of their own users (so that
 * they are the given share of all sockets), one flood stream each, started at staggered times.
 * In the reference phase those sockets read everything; in the stuck phase they stop reading
 * after the handshake. The flood is sized to pass the outbox byte bound, because paced deltas of
 * one task merge in the queue and never reach it (RESULTS.md).
 *
 * <p>Per stuck socket the figure is "server closed the TCP connection" minus "its outbox passed its
 * bound", both seen from inside the JVM without reading the socket: the bound moment is the
 * plugin's {@code OverflowCloses} JMX counter ticking (the outbox counts it in the same call that
 * finds the bound exceeded), polled every {@value #POLL_MS} ms; the k-th tick is paired with the
 * k-th flood, which the stagger makes unambiguous (a tick outside flood k's slot is counted as
 * ambiguous); the close moment is the server's end of that connection leaving ESTABLISHED in
 * {@code /proc/net/tcp} (Jetty called close/shutdown or reset it), polled every
 * {@value #TCP_POLL_MS} ms.
 */
final class SlowConsumers {

    static final int POLL_MS = 2;
    static final int TCP_POLL_MS = 10;
    static final String MAX_BYTES_KEY = "ai-progress.realtime.outbox.max-bytes";
    /** The plugin's default for {@link #MAX_BYTES_KEY} (web.Config). */
    static final long DEFAULT_MAX_BYTES = 1 << 20;

    interface Login {
        String sid(String user, String password) throws Exception;
    }

    /** What one phase (reference or stuck) measured. */
    static final class Outcome {
        boolean stuck;
        PhaseResult others;
        int sockets;
        long heapBefore;
        long heapAfter;
        long overflows;
        int boundReached;
        int ambiguous;
        int serverClosed;
        int clientSawEnd;
        int closeFrames1008;
        int stillOpenAtDrain;
        boolean tcpObservable;
        long[] closeAfterBoundNanos = new long[0];
        /** Per closed socket, close minus the latest overflow tick before it: a floor that needs no pairing. */
        long[] closeAfterLatestTickNanos = new long[0];
        final List<String> serverStates = new ArrayList<>();
        final List<String> errors = new ArrayList<>();

        long heapGrowth() {
            return heapAfter - heapBefore;
        }
    }

    private final HarnessOptions o;
    private final HttpClient http;
    private final EmbeddedJetty server;
    private final int mockPort;
    final int n;
    final long maxBytes;
    final int floodChunks;

    SlowConsumers(HarnessOptions o, HttpClient http, EmbeddedJetty server, int mockPort) {
        this.o = o;
        this.http = http;
        this.server = server;
        this.mockPort = mockPort;
        this.n = count(o);
        String configured = o.serverConfig.get(MAX_BYTES_KEY);
        this.maxBytes = configured == null ? DEFAULT_MAX_BYTES : Long.parseLong(configured.trim());
        // past the bound with room to spare: before the outbox queue grows at all, the server's
        // kernel send buffer takes bytes (it autotunes up to tcp_wmem's max, 4 MB by default, and
        // was seen at 1.3 MB for a peer with a 4 KB receive window), then the one frame in flight
        this.floodChunks = o.floodChunks > 0 ? o.floodChunks
                : (int) ((kernelSendBuffer(o) + 2 * maxBytes + 256 * 1024) / o.floodChars + 1);
    }

    long closeWaitMillis() {
        long idle = millis(o.serverConfig.get("ai-progress.realtime.ping-interval"), 25_000)
                + millis(o.serverConfig.get("ai-progress.realtime.ping-timeout"), 20_000);
        return Math.min(60_000, idle + 3_000);
    }

    /** The plugin's duration syntax (500ms, 30s, 20m), enough to know how long to wait. */
    static long millis(String text, long fallback) {
        if (text == null) {
            return fallback;
        }
        String t = text.trim();
        if (t.endsWith("ms")) {
            return Long.parseLong(t.substring(0, t.length() - 2));
        }
        long unit = t.endsWith("s") ? 1000 : t.endsWith("m") ? 60_000 : t.endsWith("h") ? 3_600_000 : -1;
        return unit < 0 ? fallback : Long.parseLong(t.substring(0, t.length() - 1)) * unit;
    }

    static long kernelSendBuffer(HarnessOptions o) {
        if (o.serverSndbuf > 0) {
            return 2L * o.serverSndbuf; // Linux doubles SO_SNDBUF for its bookkeeping
        }
        try {
            String[] w = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/net/ipv4/tcp_wmem")).trim().split("\\s+");
            return Long.parseLong(w[2]);
        } catch (Exception e) {
            return 4L << 20;
        }
    }

    /** Stuck sockets so that they are {@code --slow-pct} of all sockets carrying streams. */
    static int count(HarnessOptions o) {
        int others = o.streams * o.socketsPerUser;
        int pct = Math.min(90, o.slowPct);
        return Math.max(1, (int) Math.round(others * pct / (100.0 - pct)));
    }

    static void addUsers(Map<String, String> realm, HarnessOptions o) {
        for (int i = 0, n = count(o); i < n; i++) {
            // one set per phase: the stuck phase must not start with the reference phase's replay window
            realm.put("t13r-" + i, "p");
            realm.put("t13s-" + i, "p");
        }
    }

    Outcome phase(boolean stuck, Login login, Callable<PhaseResult> othersLoad) throws Exception {
        Outcome out = new Outcome();
        out.stuck = stuck;
        out.sockets = n;
        int port = server.baseUri().getPort();
        List<RawWebSocket> socks = new ArrayList<>();
        String[] sids = new String[n];
        for (int i = 0; i < n; i++) {
            sids[i] = login.sid((stuck ? "t13s-" : "t13r-") + i, "p");
        }
        out.heapBefore = heapAfterGc();
        Poller poller;
        try {
            for (int i = 0; i < n; i++) {
                socks.add(new RawWebSocket(port, sids[i], !stuck));
            }
            poller = new Poller(socks, port);
            out.tcpObservable = poller.tcpObservable;
            long t0 = System.nanoTime();
            long slot = Math.max(1, (long) (o.durationSec * 0.8e9 / n));
            long[] floodStart = new long[n];
            List<CompletableFuture<HttpResponse<Void>>> floods = new ArrayList<>();
            Thread driver = new Thread(() -> {
                for (int i = 0; i < n; i++) {
                    long due = t0 + i * slot;
                    for (long now = System.nanoTime(); now < due; now = System.nanoTime()) {
                        LockSupport.parkNanos(due - now);
                    }
                    floodStart[i] = System.nanoTime();
                    synchronized (floods) {
                        floods.add(flood(sids[i], (stuck ? "t13s-" : "t13r-") + i + "-" + t0));
                    }
                }
            }, "t13-flood-driver");
            driver.setDaemon(true);
            driver.start();
            out.others = othersLoad.call();
            driver.join(TimeUnit.SECONDS.toMillis(60));
            List<CompletableFuture<HttpResponse<Void>>> started;
            synchronized (floods) {
                started = new ArrayList<>(floods);
            }
            for (int i = 0; i < started.size(); i++) {
                try {
                    int status = started.get(i).get(60, TimeUnit.SECONDS).statusCode();
                    if (status != 200) {
                        out.errors.add("flood " + i + ": status " + status);
                    }
                } catch (Exception e) {
                    out.errors.add("flood " + i + ": " + e);
                }
            }
            if (started.size() != n) {
                out.errors.add((n - started.size()) + " floods never started");
            }
            if (stuck) {
                // past the target on purpose, up to the plain endpoint's idle timeout (ping interval +
                // ping timeout): a late close is measured, not cut off
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(closeWaitMillis());
                while (System.nanoTime() < deadline && poller.closedCount() < n) {
                    Thread.sleep(20);
                }
            }
            poller.stop();
            // stuck sockets still open at the client here: whatever the server keeps for them is live
            out.heapAfter = heapAfterGc();
            pair(out, poller, floodStart);
            for (RawWebSocket s : socks) {
                RawWebSocket.Drained d = s.drain();
                if (d == RawWebSocket.Drained.CLOSE_FRAME_1008) {
                    out.closeFrames1008++;
                } else if (d == RawWebSocket.Drained.OPEN) {
                    out.stillOpenAtDrain++;
                }
            }
        } finally {
            for (RawWebSocket s : socks) {
                s.close();
            }
        }
        return out;
    }

    private CompletableFuture<HttpResponse<Void>> flood(String sid, String taskId) {
        // all text, no reasoning: one type, so the whole flood merges into one queued event
        String spec = PacedMock.spec(floodChunks, 0, o.floodChars, 0, 0);
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"" + spec + "\"}],\"provider\":\"mock\",\"model\":\"m\","
                + "\"task_id\":\"" + taskId + "\"}";
        return http.sendAsync(HttpRequest.newBuilder(server.uri("/api/method/ai_assistant.api.chat_completion"))
                .header("Content-Type", "application/json").header("Cookie", "sid=" + sid)
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.discarding());
    }

    private void pair(Outcome out, Poller p, long[] floodStart) {
        out.overflows = p.ticks.size();
        out.boundReached = (int) Math.min(n, p.ticks.size());
        List<Long> closeAfter = new ArrayList<>();
        List<Long> floor = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (p.serverClosedAt[i] != 0) {
                out.serverClosed++;
            }
            if (p.clientSawEndAt[i] != 0) {
                out.clientSawEnd++;
            }
            out.serverStates.add(TcpTable.name(p.serverStateSeen[i]));
            if (p.serverClosedAt[i] != 0) {
                long latest = 0;
                for (long t : p.ticks) {
                    if (t <= p.serverClosedAt[i]) {
                        latest = Math.max(latest, t);
                    }
                }
                if (latest != 0) {
                    floor.add(p.serverClosedAt[i] - latest);
                }
            }
            if (i >= p.ticks.size()) {
                continue;
            }
            long bound = p.ticks.get(i);
            long nextStart = i + 1 < n && floodStart[i + 1] != 0 ? floodStart[i + 1] : Long.MAX_VALUE;
            if (floodStart[i] == 0 || bound < floodStart[i] || bound >= nextStart) {
                out.ambiguous++;
            }
            if (p.serverClosedAt[i] != 0) {
                closeAfter.add(p.serverClosedAt[i] - bound);
            }
        }
        out.closeAfterBoundNanos = closeAfter.stream().mapToLong(Long::longValue).sorted().toArray();
        out.closeAfterLatestTickNanos = floor.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 2; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The plugin's overflow-close counter summed over its deployments (only one runs during T13); -1 without JMX. */
    static long overflowCloses() {
        try {
            MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
            long sum = 0;
            boolean any = false;
            for (ObjectName name : mbs.queryNames(new ObjectName("dev.aiprogress:type=Realtime,*"), null)) {
                sum += ((Number) mbs.getAttribute(name, "OverflowCloses")).longValue();
                any = true;
            }
            return any ? sum : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    /** One thread: the JMX counter every {@value #POLL_MS} ms, the kernel's TCP table every {@value #TCP_POLL_MS} ms. */
    static final class Poller {
        final List<Long> ticks = new ArrayList<>();
        final long[] serverClosedAt;
        final long[] clientSawEndAt;
        final Integer[] serverStateSeen;
        final boolean tcpObservable;
        private final int[] clientPorts;
        private final int serverPort;
        private volatile boolean stop;
        private final Thread thread;

        Poller(List<RawWebSocket> socks, int serverPort) {
            int n = socks.size();
            this.serverPort = serverPort;
            clientPorts = new int[n];
            for (int i = 0; i < n; i++) {
                clientPorts[i] = socks.get(i).localPort();
            }
            serverClosedAt = new long[n];
            clientSawEndAt = new long[n];
            serverStateSeen = new Integer[n];
            boolean observable = TcpTable.available();
            if (observable) {
                Map<Long, Integer> first = TcpTable.read();
                for (int port : clientPorts) {
                    Integer s = first.get(TcpTable.key(serverPort, port));
                    observable &= s != null && s == TcpTable.ESTABLISHED;
                }
            }
            tcpObservable = observable;
            Arrays.fill(serverStateSeen, TcpTable.ESTABLISHED);
            thread = new Thread(this::loop, "t13-poller");
            thread.setDaemon(true);
            thread.start();
        }

        private void loop() {
            long last = overflowCloses();
            long nextTcp = 0;
            while (!stop) {
                long now = System.nanoTime();
                long c = overflowCloses();
                synchronized (this) {
                    for (long k = last; k < c; k++) {
                        ticks.add(now);
                    }
                }
                last = Math.max(last, c);
                if (tcpObservable && now >= nextTcp) {
                    nextTcp = now + TimeUnit.MILLISECONDS.toNanos(TCP_POLL_MS);
                    Map<Long, Integer> states = TcpTable.read();
                    long at = System.nanoTime();
                    for (int i = 0; i < clientPorts.length; i++) {
                        Integer server = states.get(TcpTable.key(serverPort, clientPorts[i]));
                        if (serverClosedAt[i] == 0 && (server == null || server != TcpTable.ESTABLISHED)) {
                            serverClosedAt[i] = at;
                            serverStateSeen[i] = server;
                        }
                        Integer client = states.get(TcpTable.key(clientPorts[i], serverPort));
                        if (clientSawEndAt[i] == 0 && (client == null || client == TcpTable.CLOSE_WAIT)) {
                            clientSawEndAt[i] = at;
                        }
                    }
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(POLL_MS));
            }
        }

        int closedCount() {
            int c = 0;
            for (long t : serverClosedAt) {
                if (t != 0) {
                    c++;
                }
            }
            return c;
        }

        void stop() throws InterruptedException {
            stop = true;
            thread.join(1000);
        }
    }

    // ---------------------------------------------------------------- table rows

    /** The T13 rows: the reference phase in the "direct" column, the stuck phase in "via plugin". */
    List<String[]> rows(Outcome ref, Outcome stuck, String load) {
        List<String[]> rows = new ArrayList<>();
        int all = o.streams * o.socketsPerUser + n;
        String who = " (" + n + " of " + all + " sockets" + load + "; direct col = same load, flood sockets reading)";
        for (double pct : new double[] {50, 99}) {
            long d = ref.others.chunkLatency.getValueAtPercentile(pct);
            long v = stuck.others.chunkLatency.getValueAtPercentile(pct);
            boolean target = pct == 99;
            rows.add(new String[] {"T13 others' per chunk p" + (int) pct + ", stuck vs reading" + who, Report.ms(d),
                    Report.ms(v), Report.ms(v - d), ratio(v, d), target ? "moves <= 1 ms" : "(info)",
                    !target ? "" : v - d <= 1_000_000 ? "PASS" : "FAIL"});
        }
        long[] c = stuck.closeAfterBoundNanos;
        String closeCell;
        String verdict;
        if (!stuck.tcpObservable) {
            closeCell = "not observable (no /proc/net/tcp)";
            verdict = "n/a";
        } else if (c.length == 0) {
            closeCell = "no close seen (bound reached " + stuck.boundReached + "/" + n + ", server closed "
                    + stuck.serverClosed + "/" + n + ")";
            verdict = stuck.boundReached == 0 ? "n/a (bound not reached)" : "FAIL";
        } else {
            long[] f = stuck.closeAfterLatestTickNanos;
            long floorMax = f.length == 0 ? 0 : f[f.length - 1];
            closeCell = "p50 " + Report.ms(c[c.length / 2]) + ", max " + Report.ms(c[c.length - 1]) + " ("
                    + c.length + "/" + n + " closed; pairing-free floor of the max " + Report.ms(floorMax) + ")";
            long second = 1_000_000_000L;
            // a floor past 1 s fails whatever the pairing; a pass needs every socket closed and unambiguous pairs
            verdict = floorMax > second || (c.length == n && stuck.ambiguous == 0 && c[c.length - 1] > second) ? "FAIL"
                    : c.length == n && stuck.ambiguous == 0 ? "PASS" : "unclear (see counts)";
        }
        rows.add(new String[] {"T13 stuck sockets: server's TCP close - outbox bound exceeded (JMX tick -> /proc/net/tcp)", "",
                closeCell, "", "", "<= 1 s past bound", verdict});
        rows.add(new String[] {"T13 stuck sockets: bound " + (maxBytes >> 10) + " KiB reached / server left ESTABLISHED"
                + " / client saw FIN-RST / 1008 on drain / ambiguous", ref.overflows + " overflows (reading)",
                stuck.boundReached + " / " + stuck.serverClosed + " / " + stuck.clientSawEnd + " / " + stuck.closeFrames1008
                        + " / " + stuck.ambiguous + " of " + n, "", "", "(info; flood " + floodChunks + " x " + o.floodChars
                        + " chars per socket)", ""});
        // the reference phase retains what the same streams retain anyway (replay window, logs);
        // what the stuck sockets add must stay within their outbox bounds
        long bound = n * maxBytes;
        long added = stuck.heapGrowth() - ref.heapGrowth();
        rows.add(new String[] {"T13 heap growth over the phase, after GC", mb(ref.heapGrowth()), mb(stuck.heapGrowth()),
                mb(added), ratio(stuck.heapGrowth(), ref.heapGrowth()),
                "added <= " + n + " x max-bytes (" + mb(bound) + ")", added <= bound ? "PASS" : "FAIL"});
        rows.add(new String[] {"T13 heap after GC at phase end", mb(ref.heapAfter), mb(stuck.heapAfter), "", "",
                "(info; before: " + mb(ref.heapBefore) + " / " + mb(stuck.heapBefore) + ")", ""});
        rows.add(new String[] {"T13 CPU us/chunk (whole process, floods included)", f1(ref.others.cpuMicrosPerChunk()),
                f1(stuck.others.cpuMicrosPerChunk()), f1(stuck.others.cpuMicrosPerChunk() - ref.others.cpuMicrosPerChunk()),
                ratio(stuck.others.cpuMicrosPerChunk(), ref.others.cpuMicrosPerChunk()), "(info)", ""});
        return rows;
    }

    static String describe(Outcome s) {
        return String.format(Locale.ROOT, "%s: %d sockets, overflows %d, bound reached %d, server left ESTABLISHED %d %s,"
                        + " client saw FIN/RST %d, 1008 frames on drain %d, still open at drain %d, ambiguous %d, close-bound %s,"
                        + " heap %s -> %s%s",
                s.stuck ? "stuck" : "reading", s.sockets, s.overflows, s.boundReached, s.serverClosed, s.serverStates,
                s.clientSawEnd, s.closeFrames1008, s.stillOpenAtDrain, s.ambiguous, msList(s.closeAfterBoundNanos),
                mb(s.heapBefore), mb(s.heapAfter), s.errors.isEmpty() ? "" : " errors " + s.errors);
    }

    private static String msList(long[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : " ").append(Report.ms(v[i]));
        }
        return sb.append(']').toString();
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1048576.0);
    }

    private static String f1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String ratio(double via, double direct) {
        return direct <= 0 || Double.isNaN(direct) ? "-" : String.format(Locale.ROOT, "%.2fx", via / direct);
    }
}
