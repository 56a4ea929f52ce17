package dev.aiprogress.testsupport;

import dev.aiprogress.provider.ProviderFailure;
import dev.aiprogress.provider.StreamListener;
import dev.aiprogress.stream.Delta;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link StreamListener} that records every call, counts terminal calls, calls after the terminal
 * one and calls that overlapped (the contract says none of those three may go wrong).
 */
public final class RecordingListener implements StreamListener {

    private final List<Delta> deltas = new ArrayList<>();
    private final CountDownLatch terminal = new CountDownLatch(1);
    private final AtomicInteger terminalCalls = new AtomicInteger();
    private final AtomicInteger callsAfterTerminal = new AtomicInteger();
    private final AtomicInteger overlappingCalls = new AtomicInteger();
    private final AtomicBoolean inCall = new AtomicBoolean();
    private volatile boolean completed;
    private volatile ProviderFailure failure;

    @Override
    public void onDelta(Delta delta) {
        enter();
        try {
            if (terminalCalls.get() > 0) {
                callsAfterTerminal.incrementAndGet();
            }
            synchronized (deltas) {
                deltas.add(delta);
            }
        } finally {
            inCall.set(false);
        }
    }

    @Override
    public void onComplete() {
        enter();
        try {
            completed = true;
            terminated();
        } finally {
            inCall.set(false);
        }
    }

    @Override
    public void onFailure(ProviderFailure f) {
        enter();
        try {
            failure = f;
            terminated();
        } finally {
            inCall.set(false);
        }
    }

    /**
     * A listener that records into this one and then runs {@code afterEachDelta} inside
     * {@code onDelta} (to cancel, or to throw, from there).
     */
    public StreamListener thenOnDelta(java.util.function.Consumer<Delta> afterEachDelta) {
        RecordingListener recorder = this;
        return new StreamListener() {
            @Override
            public void onDelta(Delta delta) {
                recorder.onDelta(delta);
                afterEachDelta.accept(delta);
            }

            @Override
            public void onComplete() {
                recorder.onComplete();
            }

            @Override
            public void onFailure(ProviderFailure failure) {
                recorder.onFailure(failure);
            }
        };
    }

    private void enter() {
        if (!inCall.compareAndSet(false, true)) {
            overlappingCalls.incrementAndGet();
        }
    }

    private void terminated() {
        if (terminalCalls.incrementAndGet() > 1) {
            callsAfterTerminal.incrementAndGet();
        }
        terminal.countDown();
    }

    /** Waits for the terminal call; fails the test when it does not come. */
    public RecordingListener awaitTerminal(Duration timeout) throws InterruptedException {
        if (!terminal.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            throw new AssertionError("no onComplete/onFailure within " + timeout + "; deltas so far: " + deltas());
        }
        return this;
    }

    public List<Delta> deltas() {
        synchronized (deltas) {
            return List.copyOf(deltas);
        }
    }

    public String reasoningText() {
        StringBuilder out = new StringBuilder();
        for (Delta d : deltas()) {
            if (d instanceof Delta.Reasoning r) {
                out.append(r.text());
            }
        }
        return out.toString();
    }

    public String contentText() {
        StringBuilder out = new StringBuilder();
        for (Delta d : deltas()) {
            if (d instanceof Delta.Content c) {
                out.append(c.text());
            }
        }
        return out.toString();
    }

    public boolean completed() {
        return completed;
    }

    public Optional<ProviderFailure> failure() {
        return Optional.ofNullable(failure);
    }

    /** The failure, or an assertion error naming what happened instead. */
    public ProviderFailure requireFailure() {
        if (failure == null) {
            throw new AssertionError("expected a failure, completed=" + completed);
        }
        return failure;
    }

    public int terminalCalls() {
        return terminalCalls.get();
    }

    public int callsAfterTerminal() {
        return callsAfterTerminal.get();
    }

    public int overlappingCalls() {
        return overlappingCalls.get();
    }
}
