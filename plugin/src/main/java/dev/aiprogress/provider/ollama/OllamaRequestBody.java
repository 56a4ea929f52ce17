package dev.aiprogress.provider.ollama;

import dev.aiprogress.provider.ChatMessage;
import dev.aiprogress.provider.ChatRequest;
import dev.aiprogress.provider.ContentPart;
import dev.aiprogress.provider.DialectSupport;
import dev.aiprogress.provider.ToolSpec;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;

import java.util.Locale;
import java.util.Map;

/**
 * Builds the {@code /api/chat} body. Choices the spec left open:
 * <ul>
 * <li>{@code think} is always sent ({@code request.reasoning()}), so a thinking model never falls
 *     back to inline tags by accident.</li>
 * <li>Images: {@code data:} URLs go into {@code images} as base64. Ollama cannot fetch an
 *     {@code https} image and this layer does no I/O, so such an image becomes a line
 *     {@code [image: <url>]} in the message text: the model knows one was meant.</li>
 * <li>Tool results carry {@code tool_name} (found in the history) so Ollama can match them.</li>
 * <li>{@code options} is left out when it would be empty.</li>
 * </ul>
 */
final class OllamaRequestBody {

    private OllamaRequestBody() {
    }

    static JsonObject build(ChatRequest request, JsonProvider json) {
        Map<String, String> toolNames = DialectSupport.toolNamesById(request.messages());
        JsonArrayBuilder messages = json.createArrayBuilder();
        for (ChatMessage m : request.messages()) {
            messages.add(message(m, toolNames, json));
        }
        JsonObjectBuilder body = json.createObjectBuilder()
                .add("model", request.model())
                .add("messages", messages)
                .add("stream", true)
                .add("think", request.reasoning());
        JsonObjectBuilder options = json.createObjectBuilder();
        request.temperature().ifPresent(t -> options.add("temperature", t));
        request.maxTokens().ifPresent(n -> options.add("num_predict", n));
        JsonObject builtOptions = options.build();
        if (!builtOptions.isEmpty()) {
            body.add("options", builtOptions);
        }
        if (!request.tools().isEmpty()) {
            JsonArrayBuilder tools = json.createArrayBuilder();
            for (ToolSpec tool : request.tools()) {
                tools.add(json.createObjectBuilder().add("type", "function").add("function", json.createObjectBuilder()
                        .add("name", tool.name())
                        .add("description", tool.description())
                        .add("parameters", DialectSupport.requireObject(json, tool.parametersJson(), "tool " + tool.name() + ": parameters"))));
            }
            body.add("tools", tools);
        }
        return body.build();
    }

    private static JsonObject message(ChatMessage m, Map<String, String> toolNames, JsonProvider json) {
        StringBuilder text = new StringBuilder();
        JsonArrayBuilder images = json.createArrayBuilder();
        boolean hasImages = false;
        for (ContentPart part : m.parts()) {
            if (part instanceof ContentPart.Text t) {
                text.append(t.text());
            } else if (part instanceof ContentPart.Image image) {
                var data = DialectSupport.dataUrl(image.url());
                if (data.isPresent()) {
                    images.add(data.get().base64Data());
                    hasImages = true;
                } else {
                    text.append(text.length() == 0 ? "" : "\n").append("[image: ").append(image.url()).append(']');
                }
            }
        }
        JsonObjectBuilder out = json.createObjectBuilder()
                .add("role", m.role().name().toLowerCase(Locale.ROOT))
                .add("content", text.toString());
        if (hasImages) {
            out.add("images", images);
        }
        if (!m.toolCalls().isEmpty()) {
            JsonArrayBuilder calls = json.createArrayBuilder();
            for (ChatMessage.ToolCallRef call : m.toolCalls()) {
                calls.add(json.createObjectBuilder().add("function", json.createObjectBuilder()
                        .add("name", call.name())
                        .add("arguments", DialectSupport.requireObject(json, call.argumentsJson(), "tool call " + call.id() + ": arguments"))));
            }
            out.add("tool_calls", calls);
        }
        if (m.role() == ChatMessage.Role.TOOL) {
            m.toolCallId().map(toolNames::get).ifPresent(name -> out.add("tool_name", name));
        }
        return out.build();
    }
}
