package dev.aiprogress.benchmarks.load;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What one phase of the load harness measured. */
final class PhaseResult {
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
