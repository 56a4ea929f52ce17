package dev.aiprogress.web;

import dev.aiprogress.event.ChatReply;
import dev.aiprogress.event.EventJson;
import dev.aiprogress.event.EventWriter;
import dev.aiprogress.event.ProgressEvent;
import dev.aiprogress.gateway.GenerationResult;
import dev.aiprogress.stream.Chunk;

import java.util.LinkedHashMap;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** The JSON bodies of the chat endpoints: Frappe's {@code {"message": ...}} wrapping, SSE framing. */
final class ReplyBodies {

    private ReplyBodies() {
    }

    /** The chat reply, success or failure (docs/CLIENT-PROTOCOL.md "Failure replies": HTTP 200, partial text kept). */
    static ChatReply chatReply(GenerationResult result, String conversationId) {
        ProgressEvent.Usage usage = result.usage().map(ReplyBodies::usage).orElse(null);
        List<ChatReply.ToolCallOut> tools = result.toolCalls().stream()
                .map(t -> ChatReply.ToolCallOut.of(t.id(), t.name(), t.argumentsJson())).toList();
        String error = result.failure().map(GenerationResult.GenerationFailure::message).orElse(null);
        String code = result.failure().map(f -> f.code().code()).orElse(null);
        return new ChatReply(result.success(), "assistant", result.content(), result.content(), result.reasoning(),
                usage, result.provider(), result.model(), conversationId, result.taskId(),
                result.finishReason().orElse(null), result.durationMs(),
                result.reasoningMs().isPresent() ? result.reasoningMs().getAsLong() : null,
                tools, result.providerState().orElse(null), result.warnings(), error, code);
    }

    static ChatReply.AgentReply agentReply(GenerationResult result, String conversationId) {
        return new ChatReply.AgentReply(result.success() ? 200 : 502, result.success(), result.content(),
                result.reasoning(), result.model(), conversationId, result.taskId(),
                result.failure().map(GenerationResult.GenerationFailure::message).orElse(null),
                result.failure().map(f -> f.code().code()).orElse(null));
    }

    static ProgressEvent.Usage usage(Chunk.Usage u) {
        return new ProgressEvent.Usage(u.inputTokens(), u.outputTokens(), u.totalTokens(),
                u.reasoningTokens().isPresent() ? u.reasoningTokens().getAsLong() : null);
    }

    /**
     * An object whose keys keep the order given ({@code Map.of} has none, and replies are compared
     * as text): {@code ordered("success", true, "task_id", id)}.
     */
    static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            out.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return out;
    }

    /** {@code {"message": <value as JSON>}}. */
    static String message(EventJson json, Object value) {
        return "{\"message\":" + json.toJson(value) + "}";
    }

    /** Writes {@code {"message": <value>}} as a complete JSON reply (status already chosen). */
    static void sendMessage(HttpServletResponse response, EventJson json, Object value) throws IOException {
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(message(json, value));
    }

    /** One event on an SSE response (docs/CLIENT-PROTOCOL.md "SSE on the reply": {@code id: <seq>}, {@code event: ai_progress}). */
    static String sseEvent(ProgressEvent event) {
        StringBuilder sb = new StringBuilder(256);
        sb.append("id: ").append(event.seq()).append("\nevent: ai_progress\ndata: ");
        EventWriter.appendJson(event, sb);
        return sb.append("\n\n").toString();
    }

    /** The last SSE event: the same body as the non-SSE reply. */
    static String sseReply(String replyJson) {
        return "event: reply\ndata: " + replyJson + "\n\n";
    }
}
