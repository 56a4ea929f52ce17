package dev.aiprogress.gateway;

import dev.aiprogress.event.EventJson;
import dev.aiprogress.event.EventType;
import dev.aiprogress.event.ProgressEvent;
import dev.aiprogress.gateway.GenerationResult.GenerationFailure;
import dev.aiprogress.metrics.GenerationRecord;
import dev.aiprogress.metrics.PluginMetrics;
import dev.aiprogress.provider.ChatRequest;
import dev.aiprogress.provider.StreamHandle;
import dev.aiprogress.realtime.EventPublisher;
import dev.aiprogress.stream.Chunk;
import dev.aiprogress.stream.Delta;
import dev.aiprogress.stream.TaskScheduler;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * One task: routes its request over the candidate providers (retry, fallback, first-token timeout),
 * turns the chosen stream into events, and keeps the text, reasoning, tool calls, usage and timings.
 *
 * <p>Per attempt: provider deltas → {@link dev.aiprogress.stream.ReasoningSplitter} (that provider's
 * tag rules) → {@link dev.aiprogress.stream.Coalescer} → events. Provider state is captured before
 * the splitter (it does not pass it on). A token is a non-empty reasoning or content delta or a
 * tool call. An attempt that fails (or hits the first-token timeout) before its first token is
 * retried or replaced and its leftovers (usage, finish reason, provider state) are forgotten; once
 * a token arrived, a failure ends the task with an {@code error} event that keeps the partial text.
 *
 * <p>Every field below {@link #lock} is guarded by it. Seq numbers are assigned and events published
 * while holding it, so a coalescer timer flush cannot reorder events; publishers and observers must
 * not block. Provider calls ({@code stream}, {@code cancel}) and {@code onFinished} run outside it.
 */
public final class Generation {

    static final String THINKING_MESSAGE = "Thinking…";
    static final String COMPLETE_MESSAGE = "Task finished successfully";
    static final String CANCELLED_MESSAGE = "The task was cancelled.";
    static final String REASONING_UNCLOSED = "reasoning_unclosed";

    private static final System.Logger LOG = System.getLogger(Generation.class.getName());

    /** What to do once the lock is released. */
    private enum Next { NOTHING, START_ATTEMPT, FINISHED }

    private final String id;
    private final String owner;
    /** The request, for further attempts; dropped at the first token, after which there are none. Guarded by lock. */
    private ChatRequest request;
    private final GatewayOptions options;
    private final TaskScheduler scheduler;
    /** The scheduler as the coalescer sees it: its timer flushes run holding {@link #lock}. */
    private final TaskScheduler lockedScheduler;
    private final Consumer<Generation> onFinished;
    private final PluginMetrics metrics;

    private final Object lock = new Object();
    private final EventSink events;
    private GenerationState state = GenerationState.RUNNING;
    private long seq;
    /** {@code thinking} is owed and must precede any other event (see {@link #begin()}). */
    private boolean thinkingPending;
    private final Routing routing;
    /** The attempt whose output counts; null between attempts and after the end. */
    private Attempt current;
    private ConfiguredProvider provider;
    private String model;
    /** Cancels a scheduled retry. */
    private Runnable pendingRetry = Attempt.NO_TIMER;
    private final Transcript transcript;
    private GenerationResult result;
    /** For operators ({@link GenerationRecord}): nanoTime at begin and at the first token (0 = none yet), token deltas. */
    private long startedNanos;
    private long firstTokenNanos;
    private long chunks;

    Generation(String id, String owner, ChatRequest request, Routing routing, GatewayOptions options,
               TaskScheduler scheduler, EventPublisher publisher, GenerationObserver observer,
               Consumer<Generation> onFinished, PluginMetrics metrics) {
        this.id = id;
        this.owner = owner;
        this.request = request;
        this.routing = routing;
        this.options = options;
        this.scheduler = scheduler;
        this.lockedScheduler = new LockingScheduler(scheduler, lock);
        this.onFinished = onFinished;
        this.metrics = metrics;
        this.events = new EventSink(id, owner, publisher, observer);
        this.transcript = new Transcript(options.clock());
        this.provider = routing.provider();
        this.model = provider.modelFor(request.model());
    }

    public String id() {
        return id;
    }

    public String owner() {
        return owner;
    }

    public GenerationState state() {
        synchronized (lock) {
            return state;
        }
    }

    /** The provider of the current (or last) attempt. */
    public String provider() {
        synchronized (lock) {
            return provider.name();
        }
    }

    /** The model of the current (or last) attempt. */
    public String model() {
        synchronized (lock) {
            return model;
        }
    }

    /** Present once the generation has ended. */
    public Optional<GenerationResult> result() {
        synchronized (lock) {
            return Optional.ofNullable(result);
        }
    }

    /** The seq of the last event emitted, 0 before the first. */
    public long lastSeq() {
        synchronized (lock) {
            return seq;
        }
    }

    /**
     * Cancels a running generation: the state becomes CANCELLED, held text is flushed, an
     * {@code error} event with {@link FailureCode#CANCELLED} and the partial text goes out, then the
     * upstream connection is closed. Returns false when it had already ended.
     */
    public boolean cancel() {
        return cancel(CANCELLED_MESSAGE);
    }

    boolean cancel(String message) {
        StreamHandle toCancel = null;
        synchronized (lock) {
            if (state != GenerationState.RUNNING) {
                return false;
            }
            pendingRetry.run();
            Attempt attempt = current;
            if (attempt != null) {
                toCancel = abandonLocked(attempt);
            }
            failLocked(FailureCode.CANCELLED, message);
        }
        if (toCancel != null) {
            toCancel.cancel();
        }
        afterFinish();
        return true;
    }

    /**
     * Starts the first attempt, then emits {@code thinking}. The upstream request goes out first
     * because publishing an event to every socket and the SSE reply took ≈0.15 ms that sat on the
     * time to first token (issue 6); {@code thinking} still gets seq 1, since any event emitted
     * before it (an early delta or error) brings it out first.
     */
    void begin() {
        synchronized (lock) {
            transcript.started();
            startedNanos = System.nanoTime();
            thinkingPending = options.compatEvents();
        }
        startAttempt();
        synchronized (lock) {
            if (state == GenerationState.RUNNING) {
                emitThinkingIfPendingLocked();
            }
        }
    }

    private void emitThinkingIfPendingLocked() {
        assert Thread.holdsLock(lock);
        if (thinkingPending) {
            thinkingPending = false;
            deliverLocked((s, ts) -> ProgressEvent.thinking(id, s, ts, THINKING_MESSAGE));
        }
    }

    private void startAttempt() {
        Attempt attempt;
        ChatRequest toSend;
        synchronized (lock) {
            if (state != GenerationState.RUNNING || request == null) {
                return;
            }
            toSend = request;
            pendingRetry = Attempt.NO_TIMER;
            provider = routing.provider();
            model = provider.modelFor(request.model());
            routing.attemptStarted();
            transcript.newAttempt();
            attempt = new Attempt(this, provider, model, options.emit(), lockedScheduler);
            current = attempt;
            attempt.firstTokenTimer = scheduler.schedule(() -> onFirstTokenTimeout(attempt),
                    options.firstTokenTimeout().toNanos());
        }
        StreamHandle handle;
        try {
            handle = attempt.provider.provider().stream(toSend.withModel(attempt.model), attempt);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "AIP-104 task " + id + ": provider '" + attempt.provider.name()
                    + "' threw from stream() (" + FailureCode.INTERNAL.code() + ")", e);
            onAttemptFailed(attempt, AttemptFailure.internal(attempt.provider.name()));
            return;
        }
        boolean cancelNow;
        synchronized (lock) {
            attempt.handle = handle;
            cancelNow = attempt.abandoned;
        }
        if (cancelNow) {
            handle.cancel();
        }
    }

    void onDelta(Attempt attempt, Delta delta) {
        synchronized (lock) {
            if (!countsLocked(attempt)) {
                return;
            }
            if (delta instanceof Delta.ProviderState ps) {
                transcript.providerState(ps.json());
                return;
            }
            boolean token = isToken(delta);
            if (token) {
                chunks++;
            }
            if (!attempt.tokenSeen && token) {
                attempt.tokenSeen = true;
                if (firstTokenNanos == 0L) {
                    firstTokenNanos = Math.max(1L, System.nanoTime() - startedNanos);
                }
                attempt.firstTokenTimer.run();
                attempt.firstTokenTimer = Attempt.NO_TIMER;
                transcript.firstToken();
                request = null; // no attempt follows a token; a long history need not live as long as the stream
            }
            attempt.splitter.accept(delta);
        }
    }

    private static boolean isToken(Delta delta) {
        if (delta instanceof Delta.Reasoning r) {
            return !r.text().isEmpty();
        }
        if (delta instanceof Delta.Content c) {
            return !c.text().isEmpty();
        }
        return delta instanceof Chunk.ToolCall;
    }

    /** Splitter output; runs inside {@link #onDelta} or a drain, so the lock is held. */
    void onSplit(Attempt attempt, Chunk chunk) {
        if (chunk instanceof Chunk.Reasoning) {
            transcript.reasoningSeen();
            attempt.coalescer.accept(chunk);
        } else if (chunk instanceof Chunk.Text) {
            transcript.reasoningOver();
            attempt.coalescer.accept(chunk);
        } else if (chunk instanceof Chunk.ToolCall call) {
            transcript.reasoningOver();
            attempt.coalescer.flush();
            transcript.toolCall(call);
            emitLocked((s, ts) -> ProgressEvent.toolCall(id, s, ts,
                    new ProgressEvent.ToolInfo(call.id(), call.name(), call.argumentsJson())));
        } else if (chunk instanceof Chunk.Usage u) {
            transcript.usage(u);
        } else if (chunk instanceof Chunk.Finish f) {
            transcript.finishReason(f.reason());
        }
    }

    /** Coalescer output: reasoning and text ready to go out. May run on the scheduler's thread. */
    void onCoalesced(Attempt attempt, Chunk chunk) {
        synchronized (lock) {
            if (!countsLocked(attempt)) {
                return;
            }
            if (chunk instanceof Chunk.Reasoning r) {
                transcript.appendReasoning(r.text());
                emitLocked((s, ts) -> ProgressEvent.delta(EventType.REASONING, id, s, ts, r.text()));
            } else if (chunk instanceof Chunk.Text t) {
                transcript.appendText(t.text());
                emitLocked((s, ts) -> ProgressEvent.delta(EventType.TEXT, id, s, ts, t.text()));
            }
        }
    }

    void onAttemptComplete(Attempt attempt) {
        synchronized (lock) {
            if (!countsLocked(attempt)) {
                return;
            }
            attempt.end();
            metrics.attemptEnded(attempt.provider.name(), PluginMetrics.OK);
            drainLocked(attempt);
            transcript.reasoningOver();
            current = null;
            state = GenerationState.COMPLETED;
            long durationMs = transcript.durationMillis();
            emitLocked((s, ts) -> transcript.completion(id, s, ts, provider.name(), model, durationMs));
            if (options.compatEvents()) {
                emitLocked((s, ts) -> ProgressEvent.complete(id, s, ts, COMPLETE_MESSAGE));
            }
            result = transcript.result(id, state, provider.name(), model, Optional.empty(), durationMs);
        }
        afterFinish();
    }

    void onAttemptFailed(Attempt attempt, AttemptFailure failure) {
        Next next;
        synchronized (lock) {
            if (!countsLocked(attempt)) {
                return;
            }
            attempt.end();
            if (failure.blamesProvider()) {
                attemptFailedLocked(attempt, failure.code());
            }
            if (attempt.tokenSeen) {
                // Text already went to the user: another attempt would repeat or contradict it.
                failLocked(failure.code(), failure.message());
                next = Next.FINISHED;
            } else {
                next = afterEarlyFailureLocked(attempt, failure);
            }
        }
        proceed(next);
    }

    private void onFirstTokenTimeout(Attempt attempt) {
        StreamHandle toCancel;
        Next next;
        synchronized (lock) {
            if (!countsLocked(attempt) || attempt.tokenSeen) {
                return;
            }
            toCancel = abandonLocked(attempt);
            attemptFailedLocked(attempt, FailureCode.FIRST_TOKEN_TIMEOUT);
            next = afterEarlyFailureLocked(attempt,
                    AttemptFailure.firstTokenTimeout(attempt.provider.name(), options.firstTokenTimeout()));
        }
        if (toCancel != null) {
            toCancel.cancel();
        }
        proceed(next);
    }

    /** An attempt failed before its first token: retry it later, try the next provider, or give up. */
    private Next afterEarlyFailureLocked(Attempt attempt, AttemptFailure failure) {
        assert Thread.holdsLock(lock);
        current = null;
        attempt.coalescer.close();
        String name = attempt.provider.name();
        Routing.Decision decision = routing.afterEarlyFailure(failure);
        switch (decision.kind()) {
            case RETRY -> {
                LOG.log(System.Logger.Level.INFO, "AIP-025 task {0}: provider ''{1}'' failed before its first token ({2}), "
                        + "attempt {3}; retrying in {4} ms", id, name, failure.code().code(), routing.attempts(),
                        decision.delay().toMillis());
                metrics.retry(name);
                pendingRetry = scheduler.schedule(this::startAttempt, decision.delay().toNanos());
                return Next.NOTHING;
            }
            case FALL_BACK -> {
                LOG.log(System.Logger.Level.INFO, "AIP-026 task {0}: provider ''{1}'' failed before its first token ({2}); "
                        + "falling back to ''{3}''", id, name, failure.code().code(), routing.provider().name());
                metrics.fallback(name, routing.provider().name());
                return Next.START_ATTEMPT;
            }
            case GIVE_UP -> { }
        }
        failLocked(failure.code(), failure.message());
        return Next.FINISHED;
    }

    private void proceed(Next next) {
        switch (next) {
            case START_ATTEMPT -> startAttempt();
            case FINISHED -> afterFinish();
            case NOTHING -> { }
        }
    }

    /** Ends the task as FAILED (or CANCELLED) with an {@code error} event that keeps the partial text. */
    private void failLocked(FailureCode code, String message) {
        assert Thread.holdsLock(lock);
        Attempt attempt = current;
        if (attempt != null) {
            drainLocked(attempt);
        }
        transcript.reasoningOver();
        current = null;
        state = code == FailureCode.CANCELLED ? GenerationState.CANCELLED : GenerationState.FAILED;
        String text = transcript.text();
        String reasoning = transcript.reasoning();
        emitLocked((s, ts) -> ProgressEvent.error(id, s, ts, message, code.errorId(), code.code(), text, reasoning));
        result = transcript.result(id, state, provider.name(), model,
                Optional.of(new GenerationFailure(code, message)), transcript.durationMillis());
        // the operators' line for every end is AIP-030 (GenerationLog); this one is for debugging
        LOG.log(System.Logger.Level.DEBUG, "task {0}: {1} ({2}) with provider ''{3}''", id, state, code.code(),
                provider.name());
    }

    /** Readiness: an attempt's provider failed (a cancel says nothing about the provider). */
    private void attemptFailedLocked(Attempt attempt, FailureCode code) {
        assert Thread.holdsLock(lock);
        if (code != FailureCode.CANCELLED) {
            metrics.attemptEnded(attempt.provider.name(), code.code());
        }
    }

    /** Flushes what the splitter and coalescer hold (nothing received is dropped), then stops the coalescer. */
    private void drainLocked(Attempt attempt) {
        assert Thread.holdsLock(lock);
        attempt.splitter.finish();
        attempt.coalescer.flush();
        attempt.coalescer.close();
        if (attempt.splitter.reasoningUnclosed()) {
            transcript.warn(REASONING_UNCLOSED);
        }
    }

    /** Stops the attempt's timer and marks it for cancelling; returns its handle when it has one already. */
    private StreamHandle abandonLocked(Attempt attempt) {
        assert Thread.holdsLock(lock);
        attempt.end();
        attempt.abandoned = true;
        return attempt.handle;
    }

    private boolean countsLocked(Attempt attempt) {
        assert Thread.holdsLock(lock);
        return attempt == current && state == GenerationState.RUNNING;
    }

    private interface EventFactory {
        ProgressEvent make(long seq, String timestamp);
    }

    private void emitLocked(EventFactory factory) {
        assert Thread.holdsLock(lock);
        emitThinkingIfPendingLocked();
        deliverLocked(factory);
    }

    private void deliverLocked(EventFactory factory) {
        assert Thread.holdsLock(lock);
        events.deliver(factory.make(++seq, EventJson.timestamp(transcript.now())));
    }

    /** Called once, by whoever moved the state to terminal, after releasing the lock. */
    private void afterFinish() {
        GenerationResult finished;
        GenerationRecord record;
        synchronized (lock) {
            finished = result;
            record = recordLocked();
        }
        onFinished.accept(this);
        // before the observer: whoever got the reply finds the generation counted and logged
        GenerationLog.ended(record, owner);
        try {
            metrics.generationEnded(record);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "AIP-031 task " + id + ": metrics failed on finish", e);
        }
        events.finished(finished);
    }

    private GenerationRecord recordLocked() {
        assert Thread.holdsLock(lock);
        String outcome = result.failure().map(f -> f.code().code()).orElse(PluginMetrics.OK);
        return new GenerationRecord(id, provider.name(), model, outcome,
                firstTokenNanos == 0L ? OptionalLong.empty() : OptionalLong.of(firstTokenNanos),
                startedNanos == 0L ? 0L : System.nanoTime() - startedNanos, chunks);
    }
}
