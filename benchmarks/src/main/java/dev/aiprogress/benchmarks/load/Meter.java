package dev.aiprogress.benchmarks.load;

import java.lang.management.ManagementFactory;

/** Process CPU time, bytes allocated by live threads, chunks the mock sent, over a phase. */
final class Meter {
    private final ServerThreads serverThreads;
    private final PacedMock mock;
    private final long cpu0;
    private final long alloc0;
    private final long[] server0;
    private final long sent0;
    private final long conn0;
    private final long t0;

    Meter(ServerThreads serverThreads, PacedMock mock) {
        this.serverThreads = serverThreads;
        this.mock = mock;
        this.cpu0 = processCpu();
        this.alloc0 = allocated();
        this.server0 = serverThreads.totals();
        this.sent0 = mock.chunksSent.get();
        this.conn0 = mock.connections.get();
        this.t0 = System.nanoTime();
    }

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
}
