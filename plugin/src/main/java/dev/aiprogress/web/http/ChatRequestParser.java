package dev.aiprogress.web.http;

import dev.aiprogress.provider.ChatMessage;
import dev.aiprogress.provider.ChatRequest;
import dev.aiprogress.provider.ProviderSettings;
import dev.aiprogress.provider.ToolSpec;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.servlet.http.HttpServletRequest;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Reads a chat body in any of its forms — JSON {@code {messages:[...], ...}}, the short form
 * {@code {message, ...}}, form-encoded with {@code messages} as a JSON string, and the agent form
 * {@code {prompt, conversation_id, context, api_key}} — into a {@link ChatCall}, or throws a
 * {@link FrappeError} with the status and a message naming the field. Limits: body over
 * {@code max-body-bytes}, more than {@code max-messages} messages, or one message over
 * {@code max-content-chars} → 413; everything else wrong → 400.
 *
 * <p>{@code context} (a string, or an object sent as JSON) becomes a system message
 * {@code "Context:\n<context>"} placed after the leading system messages.
 */
public final class ChatRequestParser {

    static final Pattern TASK_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    private static final int MAX_ID_CHARS = 200;

    private final HttpOptions.RequestLimits limits;
    private final List<ProviderSettings> providers;
    private final MessageParser messages;

    /** @param providers the configured providers, for the {@code provider} and {@code model} checks */
    public ChatRequestParser(HttpOptions.RequestLimits limits, List<ProviderSettings> providers) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.providers = List.copyOf(providers);
        this.messages = new MessageParser(limits);
    }

    /** The body limit for {@link RequestBody#read} / {@link AsyncBodyReader#read}. */
    public int maxBodyBytes() {
        return limits.maxBodyBytes();
    }

    /** Parses a chat body read with {@link AsyncBodyReader}. */
    public ChatCall parseChat(RequestBody body, String contentType) {
        return parseChat(body.toJsonObject(contentType));
    }

    /** Reads (bounded, blocking) and parses a chat body. */
    public ChatCall parse(HttpServletRequest request) throws IOException {
        return parseChat(RequestBody.read(request, limits.maxBodyBytes()).toJsonObject(ContainerQuirks.contentType(request)));
    }

    /** Reads (bounded, blocking) and parses an agent body. */
    public ChatCall parseAgentRequest(HttpServletRequest request) throws IOException {
        return parseAgent(RequestBody.read(request, limits.maxBodyBytes()).toJsonObject(ContainerQuirks.contentType(request)));
    }

    public ChatCall parseChat(JsonObject body) {
        List<ChatMessage> history;
        Optional<JsonValue> list = MessageParser.structure(body, "messages");
        if (list.isPresent()) {
            history = messages.messages(list.get());
        } else {
            Optional<String> message = MessageParser.optionalString(body, "message", "message");
            if (message.isEmpty()) {
                throw FrappeError.badRequest("messages is required (or message, for the short form)");
            }
            history = List.of(userMessage(message.get(), "message"));
        }
        return build(body, history, Optional.empty());
    }

    public ChatCall parseAgent(JsonObject body) {
        Optional<String> prompt = MessageParser.optionalString(body, "prompt", "prompt");
        if (prompt.isEmpty() || prompt.get().isBlank()) {
            throw FrappeError.badRequest("prompt is required");
        }
        Optional<String> apiKey = MessageParser.optionalString(body, "api_key", "api_key").filter(k -> !k.isBlank());
        return build(body, List.of(userMessage(prompt.get(), "prompt")), apiKey);
    }

    private ChatMessage userMessage(String text, String field) {
        if (text.length() > limits.maxContentChars()) {
            throw FrappeError.tooLarge(field + " is " + text.length() + " characters; the limit is "
                    + limits.maxContentChars() + " (ai-progress.limits.max-content-chars)");
        }
        return ChatMessage.of(ChatMessage.Role.USER, text);
    }

    private ChatCall build(JsonObject body, List<ChatMessage> history, Optional<String> apiKey) {
        Optional<String> provider = MessageParser.optionalString(body, "provider", "provider").filter(p -> !p.isBlank());
        Optional<String> model = MessageParser.optionalString(body, "model", "model").filter(m -> !m.isBlank());
        checkProviderAndModel(provider, model);
        Optional<String> context = context(body);
        List<ChatMessage> withContext = context.map(c -> addContext(history, c)).orElse(history);
        List<ToolSpec> tools = MessageParser.structure(body, "tools").map(messages::tools).orElse(List.of());
        ChatRequest request = new ChatRequest(model.orElse(""), withContext, temperature(body), maxTokens(body), tools,
                true, MessageParser.optionalString(body, "provider_state", "provider_state"));
        return new ChatCall(request, provider, conversationId(body), taskId(body),
                MessageParser.optionalString(body, "mode", "mode").filter(m -> !m.isBlank()), context,
                bool(body, "stream"), apiKey);
    }

    private void checkProviderAndModel(Optional<String> provider, Optional<String> model) {
        if (provider.isPresent()) {
            ProviderSettings settings = providers.stream().filter(p -> p.name().equals(provider.get())).findFirst()
                    .orElseThrow(() -> FrappeError.badRequest("unknown provider '" + provider.get() + "'; configured: "
                            + String.join(", ", providers.stream().map(ProviderSettings::name).toList())));
            if (model.isPresent() && !settings.models().isEmpty() && !settings.models().contains(model.get())) {
                throw FrappeError.badRequest("model '" + model.get() + "' is not allowed for provider '" + provider.get()
                        + "'; allowed: " + String.join(", ", settings.models()));
            }
        } else if (model.isPresent() && providers.stream()
                .noneMatch(p -> p.models().isEmpty() || p.models().contains(model.get()))) {
            throw FrappeError.badRequest("model '" + model.get() + "' is not offered by any configured provider");
        }
    }

    private static Optional<String> context(JsonObject body) {
        Optional<JsonValue> value = MessageParser.structure(body, "context");
        if (value.isEmpty()) {
            return Optional.empty();
        }
        String text = value.get() instanceof JsonString s ? s.getString() : value.get().toString();
        return text.isBlank() ? Optional.empty() : Optional.of(text);
    }

    private static List<ChatMessage> addContext(List<ChatMessage> history, String context) {
        List<ChatMessage> out = new ArrayList<>(history.size() + 1);
        int i = 0;
        while (i < history.size() && history.get(i).role() == ChatMessage.Role.SYSTEM) {
            out.add(history.get(i++));
        }
        out.add(ChatMessage.of(ChatMessage.Role.SYSTEM, "Context:\n" + context));
        out.addAll(history.subList(i, history.size()));
        return out;
    }

    private static OptionalDouble temperature(JsonObject body) {
        Optional<BigDecimal> n = number(body, "temperature", "temperature must be a number between 0 and 2");
        if (n.isEmpty()) {
            return OptionalDouble.empty();
        }
        double t = n.get().doubleValue();
        if (!(t >= 0 && t <= 2)) {
            throw FrappeError.badRequest("temperature must be a number between 0 and 2, was " + n.get().toPlainString());
        }
        return OptionalDouble.of(t);
    }

    private OptionalInt maxTokens(JsonObject body) {
        int limit = limits.maxTokens();
        String problem = "max_tokens must be a whole number between 1 and " + limit;
        Optional<BigDecimal> n = number(body, "max_tokens", problem);
        if (n.isEmpty()) {
            return OptionalInt.empty();
        }
        BigDecimal v = n.get();
        if (v.signum() <= 0 || v.compareTo(BigDecimal.valueOf(limit)) > 0 || v.stripTrailingZeros().scale() > 0) {
            throw FrappeError.badRequest(problem + ", was " + v.toPlainString());
        }
        return OptionalInt.of(v.intValueExact());
    }

    /** A JSON number, or (form bodies) a string holding one. */
    private static Optional<BigDecimal> number(JsonObject body, String field, String problem) {
        JsonValue v = body.get(field);
        if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
            return Optional.empty();
        }
        if (v instanceof JsonNumber n) {
            return Optional.of(n.bigDecimalValue());
        }
        if (v instanceof JsonString s) {
            if (s.getString().isBlank()) {
                return Optional.empty();
            }
            try {
                return Optional.of(new BigDecimal(s.getString().trim()));
            } catch (NumberFormatException e) {
                throw FrappeError.badRequest(problem + ", was '" + s.getString() + "'");
            }
        }
        throw FrappeError.badRequest(problem + ", was " + v);
    }

    private static boolean bool(JsonObject body, String field) {
        JsonValue v = body.get(field);
        if (v == null || v.getValueType() == JsonValue.ValueType.NULL || v == JsonValue.FALSE) {
            return false;
        }
        if (v == JsonValue.TRUE) {
            return true;
        }
        if (v instanceof JsonString s) {
            switch (s.getString().trim()) {
                case "true", "1" -> {
                    return true;
                }
                case "false", "0", "" -> {
                    return false;
                }
                default -> {
                }
            }
        }
        throw FrappeError.badRequest(field + " must be true or false, was " + v);
    }

    private static String conversationId(JsonObject body) {
        JsonValue v = body.get("conversation_id");
        String id = v instanceof JsonString s ? s.getString().trim() : v instanceof JsonNumber n ? n.toString() : "";
        if (v != null && !(v instanceof JsonString) && !(v instanceof JsonNumber) && v.getValueType() != JsonValue.ValueType.NULL) {
            throw FrappeError.badRequest("conversation_id must be a string");
        }
        if (id.length() > MAX_ID_CHARS) {
            throw FrappeError.badRequest("conversation_id is longer than " + MAX_ID_CHARS + " characters");
        }
        return id.isEmpty() ? UUID.randomUUID().toString() : id;
    }

    /** The optional {@code task_id}: a string matching {@link #TASK_ID}; shared with cancel. */
    static Optional<String> taskId(JsonObject body) {
        Optional<String> id = MessageParser.optionalString(body, "task_id", "task_id").filter(t -> !t.isEmpty());
        if (id.isPresent() && !TASK_ID.matcher(id.get()).matches()) {
            throw FrappeError.badRequest("task_id must match [A-Za-z0-9_.:-]{1,64}");
        }
        return id;
    }
}
