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
        System.out.printf("%-28s %12s %12s%n", "case", "MB/s (cpu)", "MB/s (wall)");
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

    private static void measure(ThreadMXBean threads, String name, double mbPerRun, double seconds, Run run) throws StreamFailure {
        long warmEnd = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < warmEnd) {
            run.once();
        }
        long cpu0 = threads.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        long wallEnd = wall0 + (long) (seconds * 1e9);
        int runs = 0;
        while (System.nanoTime() < wallEnd) {
            run.once();
            runs++;
        }
        double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
        double wall = (System.nanoTime() - wall0) / 1e9;
        System.out.printf("%-28s %12.1f %12.1f%n", name, runs * mbPerRun / cpu, runs * mbPerRun / wall);
    }
}
