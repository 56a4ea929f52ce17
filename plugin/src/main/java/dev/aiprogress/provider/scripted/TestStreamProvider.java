package dev.aiprogress.provider.scripted;

import dev.aiprogress.provider.ChatProvider;
import dev.aiprogress.provider.ChatRequest;
import dev.aiprogress.provider.ProviderFailure;
import dev.aiprogress.provider.StreamHandle;
import dev.aiprogress.provider.StreamListener;
import dev.aiprogress.stream.Chunk;
import dev.aiprogress.stream.Delta;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The seed's {@code test_reasoning_stream}: five reasoning steps {@code step} apart, then a one-line
 * answer. Timed on the shared scheduler, so no thread waits between steps.
 */
public final class TestStreamProvider implements ChatProvider {

    public static final String NAME = "test-stream";
    static final int STEPS = 5;

    private final ScheduledExecutorService scheduler;
    private final Duration step;

    public TestStreamProvider(ScheduledExecutorService scheduler, Duration step) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.step = Objects.requireNonNull(step, "step");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String dialect() {
        return "scripted";
    }

    @Override
    public String defaultModel() {
        return NAME;
    }

    @Override
    public StreamHandle stream(ChatRequest request, StreamListener listener) {
        Run run = new Run(listener);
        run.next(Duration.ZERO);
        return run;
    }

    /** One playback; guarded by {@code this}. */
    private final class Run implements StreamHandle {
        private final StreamListener listener;
        private int emitted;
        private boolean ended;
        private ScheduledFuture<?> pending;

        Run(StreamListener listener) {
            this.listener = listener;
        }

        synchronized void next(Duration delay) {
            if (!ended) {
                pending = scheduler.schedule(this::emit, delay.toNanos(), TimeUnit.NANOSECONDS);
            }
        }

        private synchronized void emit() {
            if (ended) {
                return;
            }
            emitted++;
            if (emitted <= STEPS) {
                listener.onDelta(Delta.reasoning("Reasoning step " + emitted + " of " + STEPS + ". "));
                next(emitted == STEPS ? Duration.ZERO : step);
                return;
            }
            ended = true;
            listener.onDelta(Delta.content("Test reasoning stream finished."));
            listener.onDelta(new Chunk.Usage(0, STEPS + 1, OptionalLong.of(STEPS)));
            listener.onDelta(new Chunk.Finish("stop"));
            listener.onComplete();
        }

        @Override
        public synchronized void cancel() {
            if (ended) {
                return;
            }
            ended = true;
            if (pending != null) {
                pending.cancel(false);
            }
            listener.onFailure(ProviderFailure.of(ProviderFailure.Kind.CANCELLED, "cancelled"));
        }
    }
}
