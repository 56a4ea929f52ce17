package dev.aiprogress.stream;

import java.util.Objects;
import java.util.OptionalLong;

/** What the splitter emits: reasoning and answer text separated, everything else passed through. */
public sealed interface Chunk permits Chunk.Reasoning, Chunk.Text, Chunk.ToolCall, Chunk.Usage, Chunk.Finish {

    record Reasoning(String text) implements Chunk {
        public Reasoning {
            Objects.requireNonNull(text, "text");
        }
    }

    record Text(String text) implements Chunk {
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    /** A complete tool call; {@code argumentsJson} is the arguments object as JSON text. */
    record ToolCall(String id, String name, String argumentsJson) implements Chunk, Delta {
        public ToolCall {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(argumentsJson, "argumentsJson");
        }
    }

    /**
     * Token usage so far; a later one replaces an earlier one (providers report cumulative counts).
     * {@code outputTokens} includes reasoning tokens; {@code reasoningTokens} is empty when the
     * provider does not say.
     */
    record Usage(long inputTokens, long outputTokens, OptionalLong reasoningTokens) implements Chunk, Delta {
        public Usage {
            Objects.requireNonNull(reasoningTokens, "reasoningTokens");
        }

        public long totalTokens() {
            return inputTokens + outputTokens;
        }
    }

    /** The provider's finish reason as it sent it ({@code stop}, {@code end_turn}, {@code STOP}, ...). */
    record Finish(String reason) implements Chunk, Delta {
        public Finish {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
