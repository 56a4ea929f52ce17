package dev.aiprogress.testsupport;

import dev.aiprogress.provider.ChatProvider;
import dev.aiprogress.provider.ChatRequest;
import dev.aiprogress.provider.ProviderFailure;
import dev.aiprogress.provider.StreamHandle;
import dev.aiprogress.provider.StreamListener;
import dev.aiprogress.stream.Delta;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

/**
 * A test-only {@link ChatProvider} that replays scripts step by step, so a test decides exactly
 * when each delta, end or failure reaches the listener. Each {@link #stream} call takes the next
 * queued script (an empty one when none is queued) and becomes a {@link Call} the test drives.
 * Honours the {@link StreamHandle#cancel()} contract: cancelling a call that has not ended reports
 * {@link ProviderFailure.Kind#CANCELLED} once.
 *
 * <p>It stands in for the upstream LLM, not for one of our classes: the gateway's routing tests need
 * to place a failure or a token at an exact step, which a wire-level mock cannot time. The same
 * behaviours run end to end through the real HTTP client and {@link MockUpstream} in the web tests
 * ({@code ChatFailureWebTest}, {@code ChatCancelWebTest}).
 */
public final class ReplayingProvider implements ChatProvider {

    /** One scripted step. */
    public sealed interface Step permits Emit, Complete, Fail {
    }

    public record Emit(Delta delta) implements Step {
    }

    public record Complete() implements Step {
    }

    public record Fail(ProviderFailure failure) implements Step {
    }

    public static Step emit(Delta delta) {
        return new Emit(delta);
    }

    public static Step content(String text) {
        return new Emit(Delta.content(text));
    }

    public static Step reasoning(String text) {
        return new Emit(Delta.reasoning(text));
    }

    public static Step complete() {
        return new Complete();
    }

    public static Step fail(ProviderFailure failure) {
        return new Fail(failure);
    }

    private final String name;
    private final String defaultModel;
    private final Deque<List<Step>> scripts = new ArrayDeque<>();
    private final List<Call> calls = new ArrayList<>();

    public ReplayingProvider(String name, String defaultModel) {
        this.name = name;
        this.defaultModel = defaultModel;
    }

    /** Queues the script of the next stream call. */
    public synchronized ReplayingProvider script(Step... steps) {
        scripts.addLast(List.of(steps));
        return this;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String dialect() {
        return "replay";
    }

    @Override
    public String defaultModel() {
        return defaultModel;
    }

    @Override
    public synchronized StreamHandle stream(ChatRequest request, StreamListener listener) {
        List<Step> script = scripts.isEmpty() ? List.of() : scripts.removeFirst();
        Call call = new Call(request, listener, script);
        calls.add(call);
        return call;
    }

    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The most recent stream call. */
    public synchronized Call lastCall() {
        if (calls.isEmpty()) {
            throw new IllegalStateException("provider '" + name + "' was never called");
        }
        return calls.get(calls.size() - 1);
    }

    /** One stream call, driven by the test. */
    public static final class Call implements StreamHandle {
        private final ChatRequest request;
        private final StreamListener listener;
        private final Deque<Step> remaining;
        private boolean ended;
        private boolean cancelled;

        Call(ChatRequest request, StreamListener listener, List<Step> script) {
            this.request = request;
            this.listener = listener;
            this.remaining = new ArrayDeque<>(script);
        }

        public ChatRequest request() {
            return request;
        }

        public synchronized boolean cancelled() {
            return cancelled;
        }

        public synchronized boolean ended() {
            return ended;
        }

        /** Plays the next scripted step; false when none is left or the call has ended. */
        public boolean step() {
            Step next;
            synchronized (this) {
                if (ended || remaining.isEmpty()) {
                    return false;
                }
                next = remaining.removeFirst();
            }
            play(next);
            return true;
        }

        /** Plays {@code n} steps. */
        public Call steps(int n) {
            for (int i = 0; i < n; i++) {
                if (!step()) {
                    throw new IllegalStateException("only " + i + " of " + n + " steps were left");
                }
            }
            return this;
        }

        /** Plays every remaining step. */
        public Call playAll() {
            while (step()) {
                // keep going
            }
            return this;
        }

        /** Plays unscripted steps right now. */
        public Call play(Step... steps) {
            Arrays.stream(steps).forEach(this::play);
            return this;
        }

        private void play(Step step) {
            Objects.requireNonNull(step, "step");
            synchronized (this) {
                if (ended) {
                    throw new IllegalStateException("this call has already ended");
                }
                ended = !(step instanceof Emit);
            }
            if (step instanceof Emit e) {
                listener.onDelta(e.delta());
            } else if (step instanceof Complete) {
                listener.onComplete();
            } else if (step instanceof Fail f) {
                listener.onFailure(f.failure());
            }
        }

        @Override
        public void cancel() {
            synchronized (this) {
                cancelled = true;
                if (ended) {
                    return;
                }
                ended = true;
            }
            listener.onFailure(ProviderFailure.of(ProviderFailure.Kind.CANCELLED, "The stream was cancelled."));
        }
    }
}
