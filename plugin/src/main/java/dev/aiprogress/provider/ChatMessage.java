package dev.aiprogress.provider;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One message of the conversation.
 *
 * @param toolCallId for {@link Role#TOOL}: the call this result answers
 * @param toolCalls  for {@link Role#ASSISTANT}: the calls it made
 */
public record ChatMessage(Role role, List<ContentPart> parts, Optional<String> toolCallId, List<ToolCallRef> toolCalls) {

    public enum Role { SYSTEM, USER, ASSISTANT, TOOL }

    public ChatMessage {
        Objects.requireNonNull(role, "role");
        parts = List.copyOf(parts);
        Objects.requireNonNull(toolCallId, "toolCallId");
        toolCalls = List.copyOf(toolCalls);
    }

    public static ChatMessage of(Role role, String text) {
        return new ChatMessage(role, List.of(new ContentPart.Text(text)), Optional.empty(), List.of());
    }

    /** All text parts joined; images are left out. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        for (ContentPart p : parts) {
            if (p instanceof ContentPart.Text t) {
                sb.append(t.text());
            }
        }
        return sb.toString();
    }

    /** A tool call an assistant message made earlier; {@code argumentsJson} is a JSON object as text. */
    public record ToolCallRef(String id, String name, String argumentsJson) {
        public ToolCallRef {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(argumentsJson, "argumentsJson");
        }
    }
}
