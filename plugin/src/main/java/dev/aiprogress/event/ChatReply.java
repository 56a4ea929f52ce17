package dev.aiprogress.event;

import jakarta.json.bind.annotation.JsonbPropertyOrder;

import java.util.List;
import java.util.Objects;

/**
 * The {@code message} of the chat endpoint's HTTP reply (docs/CLIENT-PROTOCOL.md, "Chat reply" and
 * "Failure replies"). A wire DTO like {@link ProgressEvent}: {@code null} means "absent".
 *
 * @param response      the same text as {@code content} (Frappe clients read either)
 * @param providerState opaque thinking signatures; send it back as {@code provider_state} next turn
 */
@JsonbPropertyOrder({"success", "role", "content", "response", "reasoning", "usage", "provider", "model",
        "conversationId", "taskId", "finishReason", "durationMs", "reasoningMs", "toolCalls", "providerState",
        "warnings", "error", "code"})
public record ChatReply(
        boolean success,
        String role,
        String content,
        String response,
        String reasoning,
        ProgressEvent.Usage usage,
        String provider,
        String model,
        String conversationId,
        String taskId,
        String finishReason,
        Long durationMs,
        Long reasoningMs,
        List<ToolCallOut> toolCalls,
        String providerState,
        List<String> warnings,
        String error,
        String code) {

    public ChatReply {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(taskId, "taskId");
        toolCalls = toolCalls == null || toolCalls.isEmpty() ? null : List.copyOf(toolCalls);
        warnings = warnings == null || warnings.isEmpty() ? null : List.copyOf(warnings);
    }

    /** A tool call in OpenAI's reply shape, which most clients already read. */
    @JsonbPropertyOrder({"id", "type", "function"})
    public record ToolCallOut(String id, String type, Function function) {
        public static ToolCallOut of(String id, String name, String arguments) {
            return new ToolCallOut(id, "function", new Function(name, arguments));
        }
    }

    @JsonbPropertyOrder({"name", "arguments"})
    public record Function(String name, String arguments) {
    }

    /** The agent endpoint's reply ({@code vscode_extension.agent}). */
    @JsonbPropertyOrder({"status", "success", "content", "reasoning", "model", "conversationId", "taskId", "error", "code"})
    public record AgentReply(int status, boolean success, String content, String reasoning, String model,
                             String conversationId, String taskId, String error, String code) {
    }
}
