package dev.aiprogress.provider.gemini;

import dev.aiprogress.provider.ChatMessage;
import dev.aiprogress.provider.ChatRequest;
import dev.aiprogress.provider.ContentPart;
import dev.aiprogress.provider.DialectSupport;
import dev.aiprogress.provider.ToolSpec;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the {@code generateContent} body. Choices the spec left open:
 * <ul>
 * <li>Roles: USER → {@code user}, ASSISTANT → {@code model}; consecutive TOOL messages become one
 *     {@code user} content of {@code functionResponse} parts, named after the call they answer
 *     (found in the history); a result that is a JSON object is sent as the response, any other
 *     text as {@code {"result": text}}.</li>
 * <li>{@code generationConfig} is left out when it would be empty; with reasoning it holds
 *     {@code thinkingConfig: {includeThoughts: true}} (no budget: the model's default).</li>
 * <li>A {@code providerState} from an earlier Gemini reply ({@link GeminiFrameParser}) puts each
 *     {@code thoughtSignature} back on the last model message: onto the first functionCall part of
 *     the same name, or (signatures that came on text parts) onto its first part.</li>
 * </ul>
 */
final class GeminiRequestBody {

    private GeminiRequestBody() {
    }

    static JsonObject build(ChatRequest request, JsonProvider json) {
        JsonObjectBuilder body = json.createObjectBuilder().add("contents", contents(request, json));
        String system = DialectSupport.systemText(request.messages());
        if (!system.isEmpty()) {
            body.add("systemInstruction", json.createObjectBuilder()
                    .add("parts", json.createArrayBuilder().add(json.createObjectBuilder().add("text", system))));
        }
        JsonObjectBuilder config = json.createObjectBuilder();
        request.temperature().ifPresent(t -> config.add("temperature", t));
        request.maxTokens().ifPresent(n -> config.add("maxOutputTokens", n));
        if (request.reasoning()) {
            config.add("thinkingConfig", json.createObjectBuilder().add("includeThoughts", true));
        }
        JsonObject generationConfig = config.build();
        if (!generationConfig.isEmpty()) {
            body.add("generationConfig", generationConfig);
        }
        if (!request.tools().isEmpty()) {
            JsonArrayBuilder declarations = json.createArrayBuilder();
            for (ToolSpec tool : request.tools()) {
                JsonObjectBuilder declaration = json.createObjectBuilder()
                        .add("name", tool.name()).add("description", tool.description());
                JsonObject parameters = DialectSupport.requireObject(json, tool.parametersJson(), "tool " + tool.name() + ": parameters");
                if (!parameters.isEmpty()) {
                    declaration.add("parameters", parameters);
                }
                declarations.add(declaration);
            }
            body.add("tools", json.createArrayBuilder().add(json.createObjectBuilder().add("functionDeclarations", declarations)));
        }
        return body.build();
    }

    private static JsonArray contents(ChatRequest request, JsonProvider json) {
        Map<String, String> toolNames = DialectSupport.toolNamesById(request.messages());
        List<JsonObject> out = new ArrayList<>();
        JsonArrayBuilder responses = null;
        int lastModel = -1;
        List<JsonObject> lastModelParts = List.of();
        for (ChatMessage m : request.messages()) {
            if (m.role() == ChatMessage.Role.TOOL) {
                if (responses == null) {
                    responses = json.createArrayBuilder();
                }
                String id = m.toolCallId().orElse("");
                responses.add(json.createObjectBuilder().add("functionResponse", json.createObjectBuilder()
                        .add("name", toolNames.getOrDefault(id, id))
                        .add("response", toolResponse(m.text(), json))));
                continue;
            }
            if (responses != null) {
                out.add(content("user", responses.build(), json));
                responses = null;
            }
            if (m.role() == ChatMessage.Role.SYSTEM) {
                continue;
            }
            List<JsonObject> parts = parts(m, json);
            if (parts.isEmpty()) {
                continue;
            }
            if (m.role() == ChatMessage.Role.ASSISTANT) {
                lastModel = out.size();
                lastModelParts = parts;
            }
            out.add(content(m.role() == ChatMessage.Role.ASSISTANT ? "model" : "user", toArray(parts, json), json));
        }
        if (responses != null) {
            out.add(content("user", responses.build(), json));
        }
        if (lastModel >= 0) {
            Optional<JsonArray> signatures = request.providerState().flatMap(s -> GeminiFrameParser.signatures(s, json));
            if (signatures.isPresent()) {
                out.set(lastModel, content("model", toArray(withSignatures(lastModelParts, signatures.get(), json), json), json));
            }
        }
        JsonArrayBuilder contents = json.createArrayBuilder();
        out.forEach(contents::add);
        return contents.build();
    }

    private static List<JsonObject> parts(ChatMessage m, JsonProvider json) {
        List<JsonObject> parts = new ArrayList<>();
        for (ContentPart part : m.parts()) {
            if (part instanceof ContentPart.Text t && !t.text().isEmpty()) {
                parts.add(json.createObjectBuilder().add("text", t.text()).build());
            } else if (part instanceof ContentPart.Image image) {
                parts.add(DialectSupport.dataUrl(image.url())
                        .map(d -> json.createObjectBuilder().add("inlineData", json.createObjectBuilder()
                                .add("mimeType", d.mimeType()).add("data", d.base64Data())).build())
                        .orElseGet(() -> json.createObjectBuilder().add("fileData", json.createObjectBuilder()
                                .add("fileUri", image.url())).build()));
            }
        }
        for (ChatMessage.ToolCallRef call : m.toolCalls()) {
            parts.add(json.createObjectBuilder().add("functionCall", json.createObjectBuilder()
                    .add("name", call.name())
                    .add("args", DialectSupport.requireObject(json, call.argumentsJson(), "tool call " + call.id() + ": arguments")))
                    .build());
        }
        return parts;
    }

    private static JsonObject toolResponse(String text, JsonProvider json) {
        Optional<JsonValue> parsed = text.isBlank() ? Optional.empty() : DialectSupport.tryParse(json, text);
        if (parsed.isPresent() && parsed.get() instanceof JsonObject o) {
            return o;
        }
        return json.createObjectBuilder().add("result", text).build();
    }

    /** Puts each {@code {"signature", "functionCall"?}} entry back onto the part it came from. */
    private static List<JsonObject> withSignatures(List<JsonObject> parts, JsonArray signatures, JsonProvider json) {
        List<JsonObject> signed = new ArrayList<>(parts);
        for (JsonValue v : signatures) {
            if (!(v instanceof JsonObject entry)) {
                continue;
            }
            Optional<String> signature = DialectSupport.string(entry, "signature");
            Optional<String> call = DialectSupport.string(entry, "functionCall");
            for (int i = 0; signature.isPresent() && i < signed.size(); i++) {
                JsonObject part = signed.get(i);
                boolean matches = call.isPresent()
                        ? DialectSupport.object(part, "functionCall").flatMap(f -> DialectSupport.string(f, "name")).equals(call)
                        : i == 0;
                if (matches && !part.containsKey("thoughtSignature")) {
                    signed.set(i, json.createObjectBuilder(part).add("thoughtSignature", signature.get()).build());
                    break;
                }
            }
        }
        return signed;
    }

    private static JsonObject content(String role, JsonArray parts, JsonProvider json) {
        return json.createObjectBuilder().add("role", role).add("parts", parts).build();
    }

    private static JsonArray toArray(List<JsonObject> parts, JsonProvider json) {
        JsonArrayBuilder a = json.createArrayBuilder();
        parts.forEach(a::add);
        return a.build();
    }
}
