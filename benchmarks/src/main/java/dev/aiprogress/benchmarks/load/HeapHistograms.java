package dev.aiprogress.benchmarks.load;

import dev.aiprogress.benchmarks.load.IdleSocketsRun.Phase;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** T8's class histograms ({@link IdleSocketsRun}): parsed from the server JVM, what grew printed per socket. */
final class HeapHistograms {

    private HeapHistograms() {
    }

    private static final Pattern HISTO_LINE = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");

    static Map<String, long[]> parseHistogram(String text) {
        Map<String, long[]> m = new HashMap<>();
        for (String line : text.split("\n")) {
            Matcher x = HISTO_LINE.matcher(line);
            if (x.find()) {
                m.merge(x.group(3), new long[] {Long.parseLong(x.group(1)), Long.parseLong(x.group(2))},
                        (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
            }
        }
        return m;
    }

    /** Classes that grew with the sockets: top 12 by bytes, then every dev.aiprogress class that grew. */
    static void printHistogramDelta(PrintStream out, Phase p) {
        if (p.histoRest == null || p.histoWith == null || p.histoWith.isEmpty()) {
            out.println("# T8 histogram unavailable");
            return;
        }
        List<Map.Entry<String, long[]>> grew = new ArrayList<>();
        long plugin = 0;
        for (Map.Entry<String, long[]> e : p.histoWith.entrySet()) {
            long[] before = p.histoRest.getOrDefault(e.getKey(), new long[2]);
            long[] d = {e.getValue()[0] - before[0], e.getValue()[1] - before[1]};
            if (d[1] > 0) {
                grew.add(Map.entry(e.getKey(), d));
                if (e.getKey().startsWith("dev.aiprogress.")) {
                    plugin += d[1];
                }
            }
        }
        grew.sort(Comparator.comparingLong((Map.Entry<String, long[]> e) -> -e.getValue()[1]));
        double n = p.total;
        long total = grew.stream().mapToLong(e -> e.getValue()[1]).sum();
        out.printf(Locale.ROOT, "# T8 histogram delta, %s (per socket): growth %.0f B, of it dev.aiprogress.* %.0f B%n",
                p.name, total / n, plugin / n);
        out.println("#   inst/socket    B/socket  class");
        for (Map.Entry<String, long[]> e : grew.subList(0, Math.min(12, grew.size()))) {
            out.printf(Locale.ROOT, "#   %11.2f %11.1f  %s%n", e.getValue()[0] / n, e.getValue()[1] / n, e.getKey());
        }
        for (Map.Entry<String, long[]> e : grew.subList(Math.min(12, grew.size()), grew.size())) {
            if (e.getKey().startsWith("dev.aiprogress.") && e.getValue()[1] / n >= 0.5) {
                out.printf(Locale.ROOT, "#   %11.2f %11.1f  %s%n", e.getValue()[0] / n, e.getValue()[1] / n, e.getKey());
            }
        }
    }

    /** What the closed sockets left behind: the 6 classes that grew most between rest and after closing. */
    static void printLeftAfterClose(PrintStream out, Phase p) {
        if (p.histoAfter == null || p.histoAfter.isEmpty() || p.histoRest == null) {
            return;
        }
        List<Map.Entry<String, long[]>> grew = new ArrayList<>();
        for (Map.Entry<String, long[]> e : p.histoAfter.entrySet()) {
            long[] before = p.histoRest.getOrDefault(e.getKey(), new long[2]);
            long bytes = e.getValue()[1] - before[1];
            if (bytes > 0) {
                grew.add(Map.entry(e.getKey(), new long[] {e.getValue()[0] - before[0], bytes}));
            }
        }
        grew.sort(Comparator.comparingLong((Map.Entry<String, long[]> e) -> -e.getValue()[1]));
        out.printf(Locale.ROOT, "# T8 left after closing, %s (per closed socket): top 6%n", p.name);
        for (Map.Entry<String, long[]> e : grew.subList(0, Math.min(6, grew.size()))) {
            out.printf(Locale.ROOT, "#   %11.2f %11.1f  %s%n", e.getValue()[0] / (double) p.total, e.getValue()[1] / (double) p.total, e.getKey());
        }
    }

    private static Map<String, long[]> growth(Phase p) {
        Map<String, long[]> g = new HashMap<>();
        for (Map.Entry<String, long[]> e : p.histoWith.entrySet()) {
            long[] before = p.histoRest.getOrDefault(e.getKey(), new long[2]);
            g.put(e.getKey(), new long[] {e.getValue()[0] - before[0], e.getValue()[1] - before[1]});
        }
        for (Map.Entry<String, long[]> e : p.histoRest.entrySet()) {
            g.putIfAbsent(e.getKey(), new long[] {-e.getValue()[0], -e.getValue()[1]});
        }
        return g;
    }

    /**
     * Per class, growth with the plugin's sockets minus growth with the bare ones: where the
     * plugin-owned bytes are, including container objects that exist only because the plugin asked
     * for them (a message handler, a copied header).
     */
    static void printPluginOwned(PrintStream out, Phase bare, Phase via) {
        if (bare == null || via == null || bare.histoWith == null || via.histoWith == null
                || bare.histoWith.isEmpty() || via.histoWith.isEmpty()) {
            return;
        }
        Map<String, long[]> b = growth(bare);
        Map<String, long[]> v = growth(via);
        List<Map.Entry<String, double[]>> d = new ArrayList<>();
        double sum = 0;
        for (Map.Entry<String, long[]> e : v.entrySet()) {
            long[] x = b.getOrDefault(e.getKey(), new long[2]);
            double inst = e.getValue()[0] / (double) via.total - x[0] / (double) bare.total;
            double bytes = e.getValue()[1] / (double) via.total - x[1] / (double) bare.total;
            sum += bytes;
            d.add(Map.entry(e.getKey(), new double[] {inst, bytes}));
        }
        for (Map.Entry<String, long[]> e : b.entrySet()) {
            if (!v.containsKey(e.getKey())) {
                double bytes = -e.getValue()[1] / (double) bare.total;
                sum += bytes;
                d.add(Map.entry(e.getKey(), new double[] {-e.getValue()[0] / (double) bare.total, bytes}));
            }
        }
        d.sort(Comparator.comparingDouble((Map.Entry<String, double[]> e) -> -e.getValue()[1]));
        out.printf(Locale.ROOT, "# T8 histogram, %s minus bare (per socket; sum %.0f B): top 15%n", via.name, sum);
        out.println("#   inst/socket    B/socket  class");
        for (Map.Entry<String, double[]> e : d.subList(0, Math.min(15, d.size()))) {
            out.printf(Locale.ROOT, "#   %11.2f %11.1f  %s%n", e.getValue()[0], e.getValue()[1], e.getKey());
        }
    }
}
