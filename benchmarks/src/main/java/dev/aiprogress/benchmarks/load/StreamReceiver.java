package dev.aiprogress.benchmarks.load;

import org.HdrHistogram.Histogram;

/**
 * What one reader (the direct client, the SSE reply, or one socket) saw of one stream: it parses
 * the mock's {@code #seq@nanos;} stamps out of reasoning/text deltas, checks that every chunk
 * arrives once and in order, and records latencies. Stamps may arrive merged (coalescing) or, in
 * principle, cut across deltas, so an unfinished stamp is carried to the next delta.
 * Called from one thread at a time per reader (HttpClient line subscriber / WebSocket listener
 * deliver serially), so only the shared histograms are synchronized.
 */
final class StreamReceiver {

    final long intendedStartNanos;
    final int expectedChunks;
    private final Histogram chunkLatency;
    private final Histogram ttft;
    private final Object lock;
    private final StringBuilder pending = new StringBuilder();
    int lastSeq;
    /** The mock's send stamp of chunk 1: intended start → this is the request's way to the upstream. */
    long firstStampNanos;
    long firstFrameNanos;
    long lastFrameNanos;
    long maxGapNanos;
    int frames;
    boolean finished;
    String error;

    StreamReceiver(long intendedStartNanos, int expectedChunks, Histogram chunkLatency, Histogram ttft, Object lock) {
        this.intendedStartNanos = intendedStartNanos;
        this.expectedChunks = expectedChunks;
        this.chunkLatency = chunkLatency;
        this.ttft = ttft;
        this.lock = lock;
    }

    /** One reasoning/text delta received at {@code now}. */
    void onDelta(CharSequence text, long now) {
        frames++;
        if (firstFrameNanos == 0) {
            firstFrameNanos = now;
            if (ttft != null) {
                synchronized (lock) {
                    ttft.recordValue(Math.max(0, now - intendedStartNanos));
                }
            }
        } else {
            maxGapNanos = Math.max(maxGapNanos, now - lastFrameNanos);
        }
        lastFrameNanos = now;
        pending.append(text);
        int pos = 0;
        int n = pending.length();
        while (true) {
            int hash = indexOf(pending, '#', pos);
            if (hash < 0) {
                pos = n;
                break;
            }
            int semi = indexOf(pending, ';', hash);
            if (semi < 0) {
                pos = hash; // an unfinished stamp: keep it for the next delta
                break;
            }
            int at = indexOf(pending, '@', hash);
            if (at < 0 || at > semi) {
                fail("malformed stamp");
                pos = semi + 1;
                continue;
            }
            int seq = Integer.parseInt(pending, hash + 1, at, 10);
            long sent = Long.parseLong(pending, at + 1, semi, 10);
            if (seq != lastSeq + 1) {
                fail("chunk " + seq + " after " + lastSeq + " (missing or out of order)");
            }
            lastSeq = seq;
            if (seq == 1) {
                firstStampNanos = sent;
            }
            if (chunkLatency != null) {
                synchronized (lock) {
                    chunkLatency.recordValue(Math.max(0, now - sent));
                }
            }
            pos = semi + 1;
        }
        pending.delete(0, pos);
    }

    void onEnd() {
        finished = true;
        if (lastSeq != expectedChunks) {
            fail("ended after chunk " + lastSeq + " of " + expectedChunks);
        }
    }

    void fail(String why) {
        if (error == null) {
            error = why;
        }
    }

    boolean ok() {
        return finished && error == null && lastSeq == expectedChunks;
    }

    private static int indexOf(CharSequence s, char c, int from) {
        for (int i = from, n = s.length(); i < n; i++) {
            if (s.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }
}
