package dev.aiprogress.benchmarks;

import dev.aiprogress.benchmarks.RecordedStreams.Kind;
import dev.aiprogress.provider.FrameParser.StreamFailure;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * A cross-check for shared machines: T10 and the splitter reference as megabytes per second of
 * this thread's CPU time rather than of wall time. When other processes hold the cores, JMH's
 * wall-clock figures fall with the load; CPU time only counts the cycles this thread got (caches
 * and hyper-threads are still shared, so it is not immune, only far less noisy).
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.aiprogress.benchmarks.CpuTimeRun [seconds per case]</pre>
 */
public final class CpuTimeRun {

    private CpuTimeRun() {
    }

    public static void main(String[] args) throws StreamFailure {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.out.printf("load average %.2f, %d cpus, %s%n", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"));
        System.out.printf("%-28s %12s %12s%n", "case", "best MB/s cpu", "best MB/s wall");
        for (Kind kind : Kind.values()) {
            StreamDecodeBenchmark bench = new StreamDecodeBenchmark();
            bench.stream = kind;
            bench.setUp();
            double mb = bench.recording.body().length / 1e6;
            measure(threads, "decode " + kind, mb, seconds, () -> bench.decodeOnce(null));
        }
        for (SplitterBenchmark.Case input : SplitterBenchmark.Case.values()) {
            SplitterBenchmark bench = new SplitterBenchmark();
            bench.input = input;
            bench.setUp();
            measure(threads, "splitter " + input, bench.megabytes(), seconds, () -> bench.splitOnce(null));
        }
    }

    private interface Run {
        void once() throws StreamFailure;
    }

    /**
     * Warms up for {@code seconds}, then measures windows of 0.2 s for {@code seconds} and prints
     * the best window: on a loaded machine the best window is the one least disturbed.
     */
    private static void measure(ThreadMXBean threads, String name, double mbPerRun, double seconds, Run run) throws StreamFailure {
        long warmEnd = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < warmEnd) {
            run.once();
        }
        double bestCpu = 0;
        double bestWall = 0;
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            long cpu0 = threads.getCurrentThreadCpuTime();
            long wall0 = System.nanoTime();
            long windowEnd = wall0 + 200_000_000L;
            int runs = 0;
            while (System.nanoTime() < windowEnd) {
                run.once();
                runs++;
            }
            bestCpu = Math.max(bestCpu, runs * mbPerRun / ((threads.getCurrentThreadCpuTime() - cpu0) / 1e9));
            bestWall = Math.max(bestWall, runs * mbPerRun / ((System.nanoTime() - wall0) / 1e9));
        }
        System.out.printf("%-28s %12.1f %12.1f%n", name, bestCpu, bestWall);
    }
}
