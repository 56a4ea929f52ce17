package dev.aiprogress.stream;

/**
 * What a provider adapter reads off one wire event. Adapters never parse inline tags: answer text
 * goes out as {@link Content} and the {@link ReasoningSplitter} separates it; native reasoning
 * fields go out as {@link Reasoning} and pass straight through.
 *
 * <p>Tool calls, usage and finish are already final, so they are the {@link Chunk} records
 * themselves.
 */
public sealed interface Delta
        permits Delta.Reasoning, Delta.Content, Delta.ProviderState, Chunk.ToolCall, Chunk.Usage, Chunk.Finish {

    /** Text from a native reasoning field (DeepSeek {@code reasoning_content}, Anthropic thinking, ...). */
    record Reasoning(String text) implements Delta {
        public Reasoning {
            java.util.Objects.requireNonNull(text, "text");
        }
    }

    /** Answer text that may carry inline {@code <think>} tags. */
    record Content(String text) implements Delta {
        public Content {
            java.util.Objects.requireNonNull(text, "text");
        }
    }

    /**
     * Opaque state the provider needs back on the next turn (Anthropic thinking signatures and
     * redacted thinking, Gemini {@code thoughtSignature}, OpenRouter {@code reasoning_details}),
     * as one JSON value. The last one a stream produces wins.
     */
    record ProviderState(String json) implements Delta {
        public ProviderState {
            java.util.Objects.requireNonNull(json, "json");
        }
    }

    static Delta reasoning(String text) {
        return new Reasoning(text);
    }

    static Delta content(String text) {
        return new Content(text);
    }
}
