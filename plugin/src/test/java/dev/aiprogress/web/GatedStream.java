package dev.aiprogress.web;

import dev.aiprogress.testsupport.MockResponse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * An SSE body served one event per HTTP chunk, where the test decides when pieces go out: a gate
 * before piece {@code i} holds the upstream until the test opens it, and a hook runs before each
 * piece (flow control). So "the stream is still running" is a fact of the test, not a race.
 */
final class GatedStream {

    private final List<byte[]> pieces = new ArrayList<>();
    private final Map<Integer, CountDownLatch> gates = new ConcurrentHashMap<>();
    private volatile IntConsumer beforePiece = i -> { };

    /** Cuts an SSE body after each blank line: one event per piece. */
    GatedStream(String sseBody) {
        for (String event : sseBody.split("(?<=\n\n)")) {
            pieces.add(event.getBytes(StandardCharsets.UTF_8));
        }
    }

    int size() {
        return pieces.size();
    }

    /** Holds piece {@code index} until {@code latch} is counted down. */
    GatedStream gateBefore(int index, CountDownLatch latch) {
        gates.put(index, latch);
        return this;
    }

    /** Holds piece {@code index} until {@link #open} is called for it; returns the latch. */
    CountDownLatch gateBefore(int index) {
        CountDownLatch latch = new CountDownLatch(1);
        gates.put(index, latch);
        return latch;
    }

    GatedStream beforeEachPiece(IntConsumer hook) {
        this.beforePiece = hook;
        return this;
    }

    MockResponse response() {
        return MockResponse.sse("").generated(pieces.size(), i -> {
            CountDownLatch gate = gates.get(i);
            if (gate != null) {
                await(gate);
            }
            beforePiece.accept(i);
            return pieces.get(i);
        });
    }

    static void await(CountDownLatch latch) {
        try {
            if (!latch.await(15, TimeUnit.SECONDS)) {
                throw new IllegalStateException("a gate of the mock stream was never opened");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
