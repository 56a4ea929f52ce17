package dev.aiprogress.gateway;

import dev.aiprogress.event.ProgressEvent;
import dev.aiprogress.gateway.GenerationResult.GenerationFailure;
import dev.aiprogress.stream.Chunk;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What one generation has produced so far (text, reasoning, tool calls, usage, finish reason,
 * provider state, warnings) and when (start, first token, reasoning start and end). Not
 * thread-safe: the generation's lock guards it.
 */
final class Transcript {

    private final Clock clock;
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

    Transcript(Clock clock) {
        this.clock = clock;
    }

    Instant now() {
        return clock.instant();
    }

    void started() {
        startedAt = now();
    }

    /**
     * A new attempt begins. Only attempts that failed before their first token come before it,
     * so their usage, finish reason and provider state do not describe the answer: forget them.
     */
    void newAttempt() {
        usage = null;
        finishReason = null;
        providerState = null;
    }

    void firstToken() {
        if (firstTokenAt == null) {
            firstTokenAt = now();
        }
    }

    /** Splitter output reached reasoning: the "Thought for N seconds" clock starts. */
    void reasoningSeen() {
        if (reasoningStartedAt == null) {
            reasoningStartedAt = now();
        }
    }

    /** Answer text, a tool call or the end: reasoning is over. */
    void reasoningOver() {
        if (reasoningStartedAt != null && reasoningEndedAt == null) {
            reasoningEndedAt = now();
        }
    }

    void appendText(String s) {
        text.append(s);
    }

    void appendReasoning(String s) {
        reasoning.append(s);
    }

    void toolCall(Chunk.ToolCall call) {
        toolCalls.add(call);
    }

    /** Providers report cumulative counts: the last one wins. */
    void usage(Chunk.Usage u) {
        usage = u;
    }

    void finishReason(String reason) {
        finishReason = reason;
    }

    void providerState(String json) {
        providerState = json;
    }

    void warn(String warning) {
        if (!warnings.contains(warning)) {
            warnings.add(warning);
        }
    }

    String text() {
        return text.toString();
    }

    String reasoning() {
        return reasoning.toString();
    }

    long durationMillis() {
        return Duration.between(startedAt, now()).toMillis();
    }

    OptionalLong reasoningMillis() {
        if (reasoningStartedAt == null || reasoningEndedAt == null) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Duration.between(reasoningStartedAt, reasoningEndedAt).toMillis());
    }

    ProgressEvent completion(String taskId, long seq, String timestamp, String provider, String model,
                             long durationMs) {
        ProgressEvent.Usage wireUsage = usage == null ? null : new ProgressEvent.Usage(usage.inputTokens(),
                usage.outputTokens(), usage.totalTokens(),
                usage.reasoningTokens().isPresent() ? usage.reasoningTokens().getAsLong() : null);
        OptionalLong reasoningMs = reasoningMillis();
        return ProgressEvent.completion(taskId, seq, timestamp, text(), reasoning(), wireUsage, provider, model,
                finishReason, durationMs, reasoningMs.isPresent() ? reasoningMs.getAsLong() : null, warnings);
    }

    GenerationResult result(String taskId, GenerationState state, String provider, String model,
                            Optional<GenerationFailure> failure, long durationMs) {
        return new GenerationResult(taskId, state, text(), reasoning(), Optional.ofNullable(usage), provider, model,
                Optional.ofNullable(finishReason), toolCalls, failure, Optional.ofNullable(providerState), warnings,
                durationMs, reasoningMillis());
    }
}
