package dev.aiprogress.gateway;

import dev.aiprogress.stream.Chunk;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How a generation ended: everything the web layer needs for the reply
 * ({@code {"message": {success, role, content, response, reasoning, usage, provider, model,
 * conversation_id, task_id, tool_calls?}}}) or for the failure reply (docs/CLIENT-PROTOCOL.md, "Failure replies")
 * ({@code success: false, error, content/response/reasoning = the partial so far, task_id}).
 *
 * @param content       the answer text (partial when failed)
 * @param reasoning     the reasoning text (partial when failed)
 * @param provider      the provider of the last attempt (the one that answered, when successful)
 * @param model         the model of the last attempt
 * @param failure       present exactly when {@code success} is false
 * @param providerState opaque thinking signatures to send back next turn (the last one streamed)
 * @param warnings      e.g. {@code reasoning_unclosed}
 * @param reasoningMs   first reasoning chunk to the first answer token (or the end); empty when there was no reasoning
 */
public record GenerationResult(
        String taskId,
        GenerationState state,
        String content,
        String reasoning,
        Optional<Chunk.Usage> usage,
        String provider,
        String model,
        Optional<String> finishReason,
        List<Chunk.ToolCall> toolCalls,
        Optional<GenerationFailure> failure,
        Optional<String> providerState,
        List<String> warnings,
        long durationMs,
        OptionalLong reasoningMs) {

    public GenerationResult {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(state, "state");
        if (!state.isTerminal()) {
            throw new IllegalArgumentException("a result needs a terminal state, was " + state);
        }
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(reasoning, "reasoning");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(finishReason, "finishReason");
        toolCalls = List.copyOf(toolCalls);
        Objects.requireNonNull(failure, "failure");
        if (failure.isPresent() == (state == GenerationState.COMPLETED)) {
            throw new IllegalArgumentException("a failure is present exactly when the state is not COMPLETED");
        }
        Objects.requireNonNull(providerState, "providerState");
        warnings = List.copyOf(warnings);
        Objects.requireNonNull(reasoningMs, "reasoningMs");
    }

    public boolean success() {
        return state == GenerationState.COMPLETED;
    }

    /** Why a generation did not complete; {@code message} is a sentence for the user. */
    public record GenerationFailure(FailureCode code, String message) {
        public GenerationFailure {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }
    }
}
