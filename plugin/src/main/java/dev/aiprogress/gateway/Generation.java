package dev.aiprogress.gateway;

import dev.aiprogress.event.EventJson;
import dev.aiprogress.event.EventType;
import dev.aiprogress.event.ProgressEvent;
import dev.aiprogress.gateway.GenerationResult.GenerationFailure;
import dev.aiprogress.provider.ChatRequest;
import dev.aiprogress.provider.StreamHandle;
import dev.aiprogress.realtime.EventPublisher;
import dev.aiprogress.stream.Chunk;
import dev.aiprogress.stream.Delta;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * One task: routes its request over the candidate providers (retry, fallback, first-token timeout),
 * turns the chosen stream into events, and keeps the text, reasoning, tool calls, usage and timings.
 *
 * <p>Per attempt: provider deltas → {@link dev.aiprogress.stream.ReasoningSplitter} (that provider's
 * tag rules) → {@link dev.aiprogress.stream.Coalescer} → events. Provider state is captured before
 * the splitter (it does not pass it on). An attempt counts until it fails before its first token;
 * then its leftovers (usage, finish reason, provider state) are forgotten and the next one starts.
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
    private final ChatRequest request;
    private final List<ConfiguredProvider> candidates;
    private final GatewayOptions options;
    private final Backoff backoff;
    private final dev.aiprogress.stream.TaskScheduler scheduler;
    private final EventPublisher publisher;
    private final GenerationObserver observer;
    private final Consumer<Generation> onFinished;

    private final Object lock = new Object();
    private final EventHistory history;
    private GenerationState state = GenerationState.RUNNING;
    private long seq;
    private int candidateIndex;
    private int attemptsOnCandidate;
    /** The attempt whose output counts; null between attempts and after the end. */
    private Attempt current;
    private ConfiguredProvider provider;
    private String model;
    /** Cancels a scheduled retry. */
    private Runnable pendingRetry = Attempt.NO_TIMER;
    private final StringBuilder text = new StringBuilder();
    private final StringBuilder reasoning = new StringBuilder();
    private final List<Chunk.ToolCall> toolCalls = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private Chunk.Usage usage;
    private String finishReason;
    private String providerState;
    private Instant startedAt;
    private Instant firstTokenAt;
    private Instant reasoningStartedAt;
    private Instant reasoningEndedAt;
    private GenerationResult result;

    Generation(String id, String owner, ChatRequest request, List<ConfiguredProvider> candidates,
               GatewayOptions options, Backoff backoff, dev.aiprogress.stream.TaskScheduler scheduler,
               EventPublisher publisher, GenerationObserver observer, Consumer<Generation> onFinished) {
        this.id = id;
        this.owner = owner;
        this.request = request;
        this.candidates = List.copyOf(candidates);
        this.options = options;
        this.backoff = backoff;
        this.scheduler = scheduler;
        this.publisher = publisher;
        this.observer = observer;
        this.onFinished = onFinished;
        this.history = new EventHistory(options.historyEvents());
        this.provider = this.candidates.get(0);
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

    /** Kept events after {@code seq} (oldest first; a gap before the first means older ones were dropped). */
    public List<ProgressEvent> eventsAfter(long afterSeq) {
        synchronized (lock) {
            return history.after(afterSeq);
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

    /** Emits {@code thinking} and starts the first attempt. */
    void begin() {
        synchronized (lock) {
            startedAt = options.clock().instant();
            if (options.compatEvents()) {
                emitLocked((s, ts) -> ProgressEvent.thinking(id, s, ts, THINKING_MESSAGE));
            }
        }
        startAttempt();
    }

    private void startAttempt() {
        Attempt attempt;
        synchronized (lock) {
            if (state != GenerationState.RUNNING) {
                return;
            }
            pendingRetry = Attempt.NO_TIMER;
            provider = candidates.get(candidateIndex);
            model = provider.modelFor(request.model());
            attemptsOnCandidate++;
            // Only attempts that failed before their first token come before this one: nothing of theirs counts.
            usage = null;
            finishReason = null;
            providerState = null;
            attempt = new Attempt(this, provider, model, options.emit(), scheduler);
            current = attempt;
            attempt.firstTokenTimer = scheduler.schedule(() -> onFirstTokenTimeout(attempt),
                    options.firstTokenTimeout().toNanos());
        }
        StreamHandle handle;
        try {
            handle = attempt.provider.provider().stream(request.withModel(attempt.model), attempt);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "task " + id + ": provider '" + attempt.provider.name()
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
                providerState = ps.json();
                return;
            }
            if (!attempt.tokenSeen && isToken(delta)) {
                attempt.tokenSeen = true;
                attempt.firstTokenTimer.run();
                attempt.firstTokenTimer = Attempt.NO_TIMER;
                if (firstTokenAt == null) {
                    firstTokenAt = options.clock().instant();
                }
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
            if (reasoningStartedAt == null) {
                reasoningStartedAt = options.clock().instant();
            }
            attempt.coalescer.accept(chunk);
        } else if (chunk instanceof Chunk.Text) {
            endReasoningLocked();
            attempt.coalescer.accept(chunk);
        } else if (chunk instanceof Chunk.ToolCall call) {
            endReasoningLocked();
            attempt.coalescer.flush();
            toolCalls.add(call);
            emitLocked((s, ts) -> ProgressEvent.toolCall(id, s, ts,
                    new ProgressEvent.ToolInfo(call.id(), call.name(), call.argumentsJson())));
        } else if (chunk instanceof Chunk.Usage u) {
            usage = u;
        } else if (chunk instanceof Chunk.Finish f) {
            finishReason = f.reason();
        }
    }

    /** Coalescer output: reasoning and text ready to go out. May run on the scheduler's thread. */
    void onCoalesced(Attempt attempt, Chunk chunk) {
        synchronized (lock) {
            if (!countsLocked(attempt)) {
                return;
            }
            if (chunk instanceof Chunk.Reasoning r) {
                reasoning.append(r.text());
                emitLocked((s, ts) -> ProgressEvent.delta(EventType.REASONING, id, s, ts, r.text()));
            } else if (chunk instanceof Chunk.Text t) {
                text.append(t.text());
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
            drainLocked(attempt);
            endReasoningLocked();
            current = null;
            state = GenerationState.COMPLETED;
            Instant end = options.clock().instant();
            long durationMs = Duration.between(startedAt, end).toMillis();
            OptionalLong reasoningMs = reasoningMillisLocked();
            ProgressEvent.Usage wireUsage = usage == null ? null : toWire(usage);
            String text = this.text.toString();
            String reasoning = this.reasoning.toString();
            emitLocked((s, ts) -> ProgressEvent.completion(id, s, ts, text, reasoning, wireUsage, provider.name(),
                    model, finishReason, durationMs, reasoningMs.isPresent() ? reasoningMs.getAsLong() : null,
                    warnings));
            if (options.compatEvents()) {
                emitLocked((s, ts) -> ProgressEvent.complete(id, s, ts, COMPLETE_MESSAGE));
            }
            result = resultLocked(Optional.empty(), durationMs, reasoningMs);
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
        current = null;
        attempt.coalescer.close();
        String name = attempt.provider.name();
        Optional<Duration> delay = failure.retryable()
                ? backoff.nextDelay(attemptsOnCandidate, failure.retryAfter())
                : Optional.empty();
        if (delay.isPresent()) {
            LOG.log(System.Logger.Level.INFO, "task {0}: provider ''{1}'' failed before its first token ({2}), "
                    + "attempt {3}; retrying in {4} ms", id, name, failure.code().code(), attemptsOnCandidate,
                    delay.get().toMillis());
            pendingRetry = scheduler.schedule(this::startAttempt, delay.get().toNanos());
            return Next.NOTHING;
        }
        if (candidateIndex + 1 < candidates.size()) {
            candidateIndex++;
            attemptsOnCandidate = 0;
            LOG.log(System.Logger.Level.INFO, "task {0}: provider ''{1}'' failed before its first token ({2}); "
                    + "falling back to ''{3}''", id, name, failure.code().code(), candidates.get(candidateIndex).name());
            return Next.START_ATTEMPT;
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
        Attempt attempt = current;
        if (attempt != null) {
            drainLocked(attempt);
        }
        endReasoningLocked();
        current = null;
        state = code == FailureCode.CANCELLED ? GenerationState.CANCELLED : GenerationState.FAILED;
        String text = this.text.toString();
        String reasoning = this.reasoning.toString();
        emitLocked((s, ts) -> ProgressEvent.error(id, s, ts, message, code.errorId(), code.code(), text, reasoning));
        long durationMs = Duration.between(startedAt, options.clock().instant()).toMillis();
        result = resultLocked(Optional.of(new GenerationFailure(code, message)), durationMs, reasoningMillisLocked());
        LOG.log(System.Logger.Level.INFO, "task {0}: {1} ({2}) with provider ''{3}''", id, state, code.code(),
                provider.name());
    }

    /** Flushes what the splitter and coalescer hold (nothing received is dropped), then stops the coalescer. */
    private void drainLocked(Attempt attempt) {
        attempt.splitter.finish();
        attempt.coalescer.flush();
        attempt.coalescer.close();
        if (attempt.splitter.reasoningUnclosed() && !warnings.contains(REASONING_UNCLOSED)) {
            warnings.add(REASONING_UNCLOSED);
        }
    }

    /** Stops the attempt's timer and marks it for cancelling; returns its handle when it has one already. */
    private StreamHandle abandonLocked(Attempt attempt) {
        attempt.end();
        attempt.abandoned = true;
        return attempt.handle;
    }

    private boolean countsLocked(Attempt attempt) {
        return attempt == current && state == GenerationState.RUNNING;
    }

    private void endReasoningLocked() {
        if (reasoningStartedAt != null && reasoningEndedAt == null) {
            reasoningEndedAt = options.clock().instant();
        }
    }

    private OptionalLong reasoningMillisLocked() {
        if (reasoningStartedAt == null || reasoningEndedAt == null) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Duration.between(reasoningStartedAt, reasoningEndedAt).toMillis());
    }

    private GenerationResult resultLocked(Optional<GenerationFailure> failure, long durationMs, OptionalLong reasoningMs) {
        return new GenerationResult(id, state, text.toString(), reasoning.toString(), Optional.ofNullable(usage),
                provider.name(), model, Optional.ofNullable(finishReason), toolCalls, failure,
                Optional.ofNullable(providerState), warnings, durationMs, reasoningMs);
    }

    private static ProgressEvent.Usage toWire(Chunk.Usage u) {
        Long reasoningTokens = u.reasoningTokens().isPresent() ? u.reasoningTokens().getAsLong() : null;
        return new ProgressEvent.Usage(u.inputTokens(), u.outputTokens(), u.totalTokens(), reasoningTokens);
    }

    private interface EventFactory {
        ProgressEvent make(long seq, String timestamp);
    }

    private void emitLocked(EventFactory factory) {
        ProgressEvent event = factory.make(++seq, EventJson.timestamp(options.clock().instant()));
        history.add(event);
        try {
            publisher.publish(owner, event);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "task " + id + ": publishing event " + event.seq() + " failed", e);
        }
        try {
            observer.onEvent(event);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "task " + id + ": observer failed on event " + event.seq(), e);
        }
    }

    /** Called once, by whoever moved the state to terminal, after releasing the lock. */
    private void afterFinish() {
        GenerationResult finished;
        synchronized (lock) {
            finished = result;
        }
        onFinished.accept(this);
        try {
            observer.onFinished(finished);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "task " + id + ": observer failed on finish", e);
        }
    }
}
