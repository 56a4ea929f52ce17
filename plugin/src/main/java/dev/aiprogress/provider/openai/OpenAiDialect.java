package dev.aiprogress.provider.openai;

import dev.aiprogress.provider.ChatMessage;
import dev.aiprogress.provider.ChatRequest;
import dev.aiprogress.provider.ContentPart;
import dev.aiprogress.provider.DialectSupport;
import dev.aiprogress.provider.FrameParser;
import dev.aiprogress.provider.ProviderSettings;
import dev.aiprogress.provider.ToolSpec;
import dev.aiprogress.provider.UpstreamCall;
import dev.aiprogress.provider.WireDialect;
import dev.aiprogress.provider.sse.HttpErrorText;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

import java.util.Locale;
import java.util.Optional;

/**
 * OpenAI Chat Completions streaming ({@code POST {base}/chat/completions}, SSE) and every server
 * that copies it: DeepSeek, OpenRouter, vLLM, SGLang, llama.cpp, LM Studio, Groq, the Ollama shim.
 * See docs/PROVIDERS.md ("OpenAI Chat Completions" and the two sections after it) for what
 * {@link OpenAiFrameParser} accepts.
 *
 * <p>{@link ChatRequest#providerState()} (OpenRouter {@code reasoning_details}) is replayed on the
 * last assistant message. {@link ChatRequest#reasoning()} is not sent: this API has no common switch (DeepSeek reasons by
 * model choice, OpenRouter and vLLM by their own extensions).
 */
public final class OpenAiDialect implements WireDialect {

    public static final String PATH = "/chat/completions";

    @Override
    public String name() {
        return "openai";
    }

    @Override
    public Framing framing() {
        return Framing.SSE;
    }

    @Override
    public UpstreamCall call(ChatRequest request, ProviderSettings settings, JsonProvider json) {
        return new UpstreamCall(PATH, DialectSupport.keyHeader(settings, "Authorization", "Bearer "), body(request, json));
    }

    String body(ChatRequest request, JsonProvider json) {
        JsonObjectBuilder body = json.createObjectBuilder().add("model", request.model());
        JsonArrayBuilder messages = json.createArrayBuilder();
        Optional<JsonArray> details = replayedReasoningDetails(request, json);
        int lastAssistant = lastAssistantIndex(request);
        for (int i = 0; i < request.messages().size(); i++) {
            JsonObjectBuilder message = message(request.messages().get(i), json);
            if (i == lastAssistant && details.isPresent()) {
                message.add("reasoning_details", details.get());
            }
            messages.add(message);
        }
        body.add("messages", messages)
                .add("stream", true)
                .add("stream_options", json.createObjectBuilder().add("include_usage", true));
        request.temperature().ifPresent(t -> body.add("temperature", t));
        request.maxTokens().ifPresent(m -> body.add("max_tokens", m));
        if (!request.tools().isEmpty()) {
            JsonArrayBuilder tools = json.createArrayBuilder();
            for (ToolSpec tool : request.tools()) {
                tools.add(json.createObjectBuilder()
                        .add("type", "function")
                        .add("function", json.createObjectBuilder()
                                .add("name", tool.name())
                                .add("description", tool.description())
                                .add("parameters", parseJson(tool.parametersJson(), json, "parameters of tool " + tool.name()))));
            }
            body.add("tools", tools);
        }
        return body.build().toString();
    }

    /**
     * OpenRouter wants the previous turn's {@code reasoning_details} back on that assistant message
     * (thinking with tools). They come from the {@link dev.aiprogress.stream.Delta.ProviderState}
     * this dialect produced: {@code {"reasoning_details":[...]}}; other state is ignored.
     */
    private static Optional<JsonArray> replayedReasoningDetails(ChatRequest request, JsonProvider json) {
        return request.providerState()
                .flatMap(state -> DialectSupport.tryParse(json, state))
                .filter(JsonObject.class::isInstance)
                .map(state -> state.asJsonObject().get("reasoning_details"))
                .filter(JsonArray.class::isInstance)
                .map(JsonArray.class::cast);
    }

    private static int lastAssistantIndex(ChatRequest request) {
        for (int i = request.messages().size() - 1; i >= 0; i--) {
            if (request.messages().get(i).role() == ChatMessage.Role.ASSISTANT) {
                return i;
            }
        }
        return -1;
    }

    private static JsonObjectBuilder message(ChatMessage message, JsonProvider json) {
        JsonObjectBuilder out = json.createObjectBuilder().add("role", message.role().name().toLowerCase(Locale.ROOT));
        boolean hasImage = message.parts().stream().anyMatch(p -> p instanceof ContentPart.Image);
        if (hasImage) {
            JsonArrayBuilder parts = json.createArrayBuilder();
            for (ContentPart part : message.parts()) {
                if (part instanceof ContentPart.Text text) {
                    parts.add(json.createObjectBuilder().add("type", "text").add("text", text.text()));
                } else if (part instanceof ContentPart.Image image) {
                    parts.add(json.createObjectBuilder().add("type", "image_url")
                            .add("image_url", json.createObjectBuilder().add("url", image.url())));
                }
            }
            out.add("content", parts);
        } else if (message.role() == ChatMessage.Role.ASSISTANT && !message.toolCalls().isEmpty() && message.text().isEmpty()) {
            out.addNull("content");
        } else {
            out.add("content", message.text());
        }
        if (message.role() == ChatMessage.Role.ASSISTANT && !message.toolCalls().isEmpty()) {
            JsonArrayBuilder calls = json.createArrayBuilder();
            for (ChatMessage.ToolCallRef call : message.toolCalls()) {
                calls.add(json.createObjectBuilder()
                        .add("id", call.id())
                        .add("type", "function")
                        .add("function", json.createObjectBuilder()
                                .add("name", call.name())
                                .add("arguments", call.argumentsJson())));
            }
            out.add("tool_calls", calls);
        }
        if (message.role() == ChatMessage.Role.TOOL) {
            message.toolCallId().ifPresent(id -> out.add("tool_call_id", id));
        }
        return out;
    }

    private static JsonValue parseJson(String text, JsonProvider json, String what) {
        return DialectSupport.tryParse(json, text).orElseThrow(() -> new IllegalArgumentException(what + " is not valid JSON"));
    }

    @Override
    public FrameParser newParser(ChatRequest request, JsonProvider json) {
        return new OpenAiFrameParser(json);
    }

    @Override
    public String describeHttpError(int status, String bodyStart, JsonProvider json) {
        return HttpErrorText.describe(status, bodyStart, json);
    }
}
