package dev.aiprogress.provider;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * One dialect-neutral chat call, already validated by the caller.
 *
 * @param model         the model to ask (never blank: the gateway fills in the provider's default)
 * @param reasoning     ask the model to think and stream its reasoning where the dialect has a switch
 *                      (Anthropic {@code thinking}, Gemini {@code includeThoughts}, Ollama {@code think})
 * @param providerState opaque state from the previous reply ({@link dev.aiprogress.stream.Delta.ProviderState})
 */
public record ChatRequest(
        String model,
        List<ChatMessage> messages,
        OptionalDouble temperature,
        OptionalInt maxTokens,
        List<ToolSpec> tools,
        boolean reasoning,
        Optional<String> providerState) {

    public ChatRequest {
        Objects.requireNonNull(model, "model");
        messages = List.copyOf(messages);
        Objects.requireNonNull(temperature, "temperature");
        Objects.requireNonNull(maxTokens, "maxTokens");
        tools = List.copyOf(tools);
        Objects.requireNonNull(providerState, "providerState");
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("messages: at least one message is needed");
        }
    }

    /** A request with only the essentials. */
    public static ChatRequest of(String model, List<ChatMessage> messages) {
        return new ChatRequest(model, messages, OptionalDouble.empty(), OptionalInt.empty(), List.of(), true, Optional.empty());
    }

    public ChatRequest withModel(String newModel) {
        return new ChatRequest(newModel, messages, temperature, maxTokens, tools, reasoning, providerState);
    }
}
