package dev.aiprogress.web.http;

import dev.aiprogress.provider.ChatRequest;

import java.util.Objects;
import java.util.Optional;

/**
 * One validated chat call, as {@link ChatRequestParser} read it.
 *
 * @param request        for the provider; {@code model} is empty when the caller named none (the
 *                       gateway fills in the provider's default); {@code context} is already in
 *                       {@code messages} as a system message
 * @param provider       the provider the caller asked for (checked against the configuration)
 * @param conversationId echoed in the reply; generated when the caller sent none
 * @param taskId         the caller's task id, else the gateway assigns one
 * @param mode           passed through ({@code chat}, {@code agent}...)
 * @param context        the raw context, as text (objects as JSON)
 * @param stream         {@code stream: true}: answer as SSE (also chosen by {@code Accept: text/event-stream})
 * @param apiKey         agent form only: {@code api_key} ({@code key:secret}), checked like a token
 */
public record ChatCall(
        ChatRequest request,
        Optional<String> provider,
        String conversationId,
        Optional<String> taskId,
        Optional<String> mode,
        Optional<String> context,
        boolean stream,
        Optional<String> apiKey) {

    public ChatCall {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(conversationId, "conversationId");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(apiKey, "apiKey");
    }

    /** Never prints message text or the api key. */
    @Override
    public String toString() {
        return "ChatCall[model=" + request.model() + ", messages=" + request.messages().size() + ", provider=" + provider
                + ", conversationId=" + conversationId + ", taskId=" + taskId + ", mode=" + mode + ", stream=" + stream
                + ", apiKey=" + (apiKey.isPresent() ? "(set)" : "(none)") + "]";
    }
}
