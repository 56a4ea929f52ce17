package dev.aiprogress.event;

import jakarta.json.bind.annotation.JsonbPropertyOrder;

import java.util.List;
import java.util.Objects;

/**
 * The payload of one {@code ai_progress} event (docs/CLIENT-PROTOCOL.md, "Events"; docs/ARCHITECTURE.md).
 * JSON: snake_case, declaration order, absent fields omitted. This record is the one place where
 * {@code null} means "absent": it is a wire DTO, built only through the factories below.
 *
 * @param seq       from 1, strictly increasing per task, on every event
 * @param timestamp UTC, millisecond precision, e.g. {@code 2026-11-24T10:15:30.123Z}
 *
 * <p>{@link JsonbPropertyOrder} repeats the declaration order because JSON-B does not promise it for
 * records (Yasson 3.0.4 with {@code PropertyOrderStrategy.ANY} uses hash order). {@link EventWriter}
 * writes the same order by hand; keep the three lists in step.
 */
@JsonbPropertyOrder({"type", "text", "partial", "message", "taskId", "seq", "timestamp", "reasoning", "usage",
        "provider", "model", "finishReason", "durationMs", "reasoningMs", "tool", "warnings", "error", "code"})
public record ProgressEvent(
        EventType type,
        String text,
        Boolean partial,
        String message,
        String taskId,
        long seq,
        String timestamp,
        String reasoning,
        Usage usage,
        String provider,
        String model,
        String finishReason,
        Long durationMs,
        Long reasoningMs,
        ToolInfo tool,
        List<String> warnings,
        String error,
        String code) {

    public ProgressEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(timestamp, "timestamp");
        if (seq < 1) {
            throw new IllegalArgumentException("seq must be >= 1, was " + seq);
        }
        warnings = warnings == null || warnings.isEmpty() ? null : List.copyOf(warnings);
    }

    /** Token counts; {@code outputTokens} includes reasoning tokens, {@code reasoningTokens} is null when unknown. */
    @JsonbPropertyOrder({"inputTokens", "outputTokens", "totalTokens", "reasoningTokens"})
    public record Usage(long inputTokens, long outputTokens, long totalTokens, Long reasoningTokens) {
    }

    /** A tool call as the client sees it; {@code arguments} is the arguments object as JSON text. */
    @JsonbPropertyOrder({"id", "name", "arguments"})
    public record ToolInfo(String id, String name, String arguments) {
        public ToolInfo {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(arguments, "arguments");
        }
    }

    /** A streamed piece of reasoning or answer text ({@code partial: true}). */
    public static ProgressEvent delta(EventType type, String taskId, long seq, String timestamp, String text) {
        if (!type.isDelta()) {
            throw new IllegalArgumentException("not a delta type: " + type);
        }
        return new ProgressEvent(type, Objects.requireNonNull(text, "text"), Boolean.TRUE, null, taskId, seq, timestamp,
                null, null, null, null, null, null, null, null, null, null, null);
    }

    /** The compat {@code thinking} event that opens a task. */
    public static ProgressEvent thinking(String taskId, long seq, String timestamp, String message) {
        return new ProgressEvent(EventType.THINKING, null, null, message, taskId, seq, timestamp,
                null, null, null, null, null, null, null, null, null, null, null);
    }

    public static ProgressEvent toolCall(String taskId, long seq, String timestamp, ToolInfo tool) {
        return new ProgressEvent(EventType.TOOL_CALL, null, null, null, taskId, seq, timestamp,
                null, null, null, null, null, null, null, Objects.requireNonNull(tool, "tool"), null, null, null);
    }

    /** The full answer once the stream ended well. */
    public static ProgressEvent completion(String taskId, long seq, String timestamp, String text, String reasoning,
                                           Usage usage, String provider, String model, String finishReason,
                                           long durationMs, Long reasoningMs, List<String> warnings) {
        return new ProgressEvent(EventType.COMPLETION, Objects.requireNonNull(text, "text"), Boolean.FALSE, null, taskId, seq,
                timestamp, reasoning, usage, provider, model, finishReason, durationMs, reasoningMs, null, warnings,
                null, null);
    }

    /** The compat {@code complete} event (the Oropendola client closes its socket on it). */
    public static ProgressEvent complete(String taskId, long seq, String timestamp, String message) {
        return new ProgressEvent(EventType.COMPLETE, null, null, message, taskId, seq, timestamp,
                null, null, null, null, null, null, null, null, null, null, null);
    }

    /**
     * A failed task: {@code error} is the failure kind in words, {@code code} a stable id
     * ({@code AIP-012}), and the partial text and reasoning produced so far are kept.
     */
    public static ProgressEvent error(String taskId, long seq, String timestamp, String message, String error,
                                      String code, String partialText, String partialReasoning) {
        return new ProgressEvent(EventType.ERROR, partialText, null, Objects.requireNonNull(message, "message"), taskId, seq,
                timestamp, partialReasoning, null, null, null, null, null, null, null, null,
                Objects.requireNonNull(error, "error"), Objects.requireNonNull(code, "code"));
    }

    /** A copy with more text appended and the later seq/timestamp: how a queued delta absorbs the next one. */
    public ProgressEvent mergedWith(ProgressEvent next) {
        if (!type.isDelta() || next.type != type || !next.taskId.equals(taskId)) {
            throw new IllegalArgumentException("only deltas of the same task and type merge");
        }
        return new ProgressEvent(type, text + next.text, Boolean.TRUE, null, taskId, next.seq, next.timestamp,
                null, null, null, null, null, null, null, null, null, null, null);
    }
}
