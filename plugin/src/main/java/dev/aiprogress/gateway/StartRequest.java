package dev.aiprogress.gateway;

import dev.aiprogress.provider.ChatRequest;

import java.util.Objects;
import java.util.Optional;

/**
 * One request to start a generation.
 *
 * @param userId   the authenticated owner; only they see, resume and cancel the task
 * @param provider a provider name: only that provider is used (retries, no fallback);
 *                 empty = the configured order with fallback
 * @param request  the chat call; a blank model means each provider's default model
 * @param taskId   the client's task id ({@code [A-Za-z0-9_.:-]{1,64}}); empty = generated
 */
public record StartRequest(String userId, Optional<String> provider, ChatRequest request, Optional<String> taskId) {
    public StartRequest {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(taskId, "taskId");
    }

    public static StartRequest of(String userId, ChatRequest request) {
        return new StartRequest(userId, Optional.empty(), request, Optional.empty());
    }
}
