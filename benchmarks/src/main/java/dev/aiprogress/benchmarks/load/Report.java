package dev.aiprogress.benchmarks.load;

import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The load harness's Markdown report ({@link LoadHarness}): the side-by-side table, the scale steps, the machine line. */
final class Report {
    private final HarnessOptions o;
    private final PrintStream out;
    final List<String[]> table = new ArrayList<>();

    Report(HarnessOptions o, PrintStream out) {
        this.o = o;
        this.out = out;
    }

    /**
     * The side-by-side rows: one-at-a-time phases (d1, s1, w1), load phases (dl, wl, fixed batching fl),
     * T8 from the idle-socket run (null: not measured), T13 (sl null: not measured).
     */
    void buildTable(PhaseResult d1, PhaseResult s1, PhaseResult w1, PhaseResult dl, PhaseResult wl, PhaseResult fl,
            PhaseResult sl, SlowConsumers slow, Histogram rtt, LoadWindows windows, List<String[]> idleSocketRows,
            SlowConsumers.Outcome t13Reference, SlowConsumers.Outcome t13Stuck) {
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

    void printTable() {
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

    void printScale(List<PhaseResult> scale) {
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
