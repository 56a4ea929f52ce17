package dev.aiprogress.provider.openai;

import dev.aiprogress.stream.Delta;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * OpenRouter's {@code reasoning_details[]}: streamed as fragments, replayed whole on the next turn.
 * Fragments with the same {@code type} and {@code index} are joined (their {@code text},
 * {@code summary} and {@code data} concatenated, other fields last-wins). The result is one
 * {@link Delta.ProviderState} holding {@code {"reasoning_details":[...]}}.
 */
final class ReasoningDetails {

    private static final List<String> JOINED = List.of("text", "summary", "data");

    private final JsonProvider json;
    private final Map<String, Map<String, JsonValue>> items = new LinkedHashMap<>();
    private final Map<String, Map<String, StringBuilder>> joined = new LinkedHashMap<>();

    ReasoningDetails(JsonProvider json) {
        this.json = json;
    }

    void add(Iterable<JsonValue> details) {
        for (JsonValue value : details) {
            if (!(value instanceof JsonObject item)) {
                continue;
            }
            String key = item.getOrDefault("type", JsonValue.NULL) + "|" + item.getOrDefault("index", JsonValue.NULL);
            Map<String, JsonValue> fields = items.computeIfAbsent(key, k -> new LinkedHashMap<>());
            Map<String, StringBuilder> texts = joined.computeIfAbsent(key, k -> new LinkedHashMap<>());
            for (Map.Entry<String, JsonValue> field : item.entrySet()) {
                if (JOINED.contains(field.getKey()) && field.getValue() instanceof JsonString s) {
                    texts.computeIfAbsent(field.getKey(), k -> new StringBuilder()).append(s.getString());
                    fields.putIfAbsent(field.getKey(), JsonValue.NULL);
                } else if (field.getValue() != JsonValue.NULL || !fields.containsKey(field.getKey())) {
                    fields.put(field.getKey(), field.getValue());
                }
            }
        }
    }

    Optional<Delta> drain() {
        if (items.isEmpty()) {
            return Optional.empty();
        }
        JsonArrayBuilder array = json.createArrayBuilder();
        for (String key : new ArrayList<>(items.keySet())) {
            JsonObjectBuilder item = json.createObjectBuilder();
            Map<String, StringBuilder> texts = joined.get(key);
            for (Map.Entry<String, JsonValue> field : items.get(key).entrySet()) {
                StringBuilder text = texts.get(field.getKey());
                if (text != null) {
                    item.add(field.getKey(), text.toString());
                } else {
                    item.add(field.getKey(), field.getValue());
                }
            }
            array.add(item);
        }
        items.clear();
        joined.clear();
        return Optional.of(new Delta.ProviderState(json.createObjectBuilder().add("reasoning_details", array).build().toString()));
    }
}
