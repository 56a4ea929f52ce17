package dev.aiprogress.benchmarks.load;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code --windows K}: the load phase measured K times back to back (direct, then plugin, per
 * window), so a figure comes with its spread instead of one noisy window (docs/PERFORMANCE.md "Method":
 * warm up, then several windows, median and spread). The rest of the table uses all windows pooled.
 */
final class LoadWindows {

    final int count;
    final List<PhaseResult> direct = new ArrayList<>();
    final List<PhaseResult> via = new ArrayList<>();

    LoadWindows(int count) {
        this.count = count;
    }

    String suffix(int k) {
        return count == 1 ? "" : " w" + (k + 1);
    }

    PhaseResult direct() {
        return pooled(direct);
    }

    PhaseResult via() {
        return pooled(via);
    }

    static PhaseResult pooled(List<PhaseResult> windows) {
        if (windows.size() == 1) {
            return windows.get(0);
        }
        PhaseResult first = windows.get(0);
        PhaseResult p = new PhaseResult(first.name.replaceAll(" w1$", "") + " (pooled)", first.path);
        for (PhaseResult r : windows) {
            p.chunkLatency.add(r.chunkLatency);
            p.ttft.add(r.ttft);
            p.toUpstream.add(r.toUpstream);
            p.sioChunkLatency.add(r.sioChunkLatency);
            p.sioTtft.add(r.sioTtft);
            p.streams += r.streams;
            p.readers += r.readers;
            p.readersOk += r.readersOk;
            p.chunks += r.chunks;
            p.frames += r.frames;
            p.wsFrames += r.wsFrames;
            p.chunksSent += r.chunksSent;
            p.upstreamConnections += r.upstreamConnections;
            p.maxGapNanos = Math.max(p.maxGapNanos, r.maxGapNanos);
            p.gapsOverTwicePacing += r.gapsOverTwicePacing;
            p.windowSec += r.windowSec;
            p.cpuNanos += r.cpuNanos;
            p.allocBytes += r.allocBytes;
            p.serverCpuNanos += r.serverCpuNanos;
            p.serverAllocBytes += r.serverAllocBytes;
            p.errors.addAll(r.errors);
        }
        return p;
    }

    /** T4 rows per percentile: median (min–max, K windows) of direct, plugin, and their per-window difference. */
    List<String[]> rows(String load) {
        List<String[]> rows = new ArrayList<>();
        if (count < 2) {
            return rows;
        }
        for (double pct : new double[] {50, 99, 99.9}) {
            long[] d = new long[count];
            long[] v = new long[count];
            long[] diff = new long[count];
            double[] ratio = new double[count];
            for (int k = 0; k < count; k++) {
                d[k] = direct.get(k).chunkLatency.getValueAtPercentile(pct);
                v[k] = via.get(k).chunkLatency.getValueAtPercentile(pct);
                diff[k] = v[k] - d[k];
                ratio[k] = d[k] <= 0 ? Double.NaN : (double) v[k] / d[k];
            }
            boolean target = pct == 99;
            long medianDiff = median(diff);
            rows.add(new String[] {"T4 per chunk, WS" + load + ", p" + pct(pct) + ", median (min-max, " + count + " windows)",
                    spread(d), spread(v), spread(diff), ratios(ratio),
                    target ? "median added p99 <= 5 ms" : "(info)", !target ? "" : medianDiff <= 5_000_000 ? "PASS" : "FAIL"});
        }
        return rows;
    }

    private static String pct(double p) {
        return p == Math.rint(p) ? Integer.toString((int) p) : Double.toString(p);
    }

    static String spread(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        return Report.ms(median(s)) + " (" + Report.ms(s[0]) + "-" + Report.ms(s[s.length - 1]) + ")";
    }

    private static String ratios(double[] r) {
        double[] s = r.clone();
        Arrays.sort(s);
        double med = s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        return String.format(Locale.ROOT, "%.2fx (%.2f-%.2f)", med, s[0], s[s.length - 1]);
    }

    static long median(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }
}
