package dev.aiprogress.provider.openai;

import dev.aiprogress.provider.FrameParser.StreamFailure;
import dev.aiprogress.provider.ProviderFailure;
import dev.aiprogress.stream.Chunk;

import jakarta.json.JsonException;
import jakarta.json.JsonReader;
import jakarta.json.spi.JsonProvider;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Joins streamed tool-call fragments into whole calls. Fragments are keyed by {@code index}; without
 * one, by {@code id}; without either, they continue the call seen last. A fragment whose {@code id}
 * differs from its index's call starts a new call (servers that send every whole call at index 0).
 */
final class ToolCallAssembler {

    private final JsonProvider json;
    private final Map<String, Builder> calls = new LinkedHashMap<>();
    private Builder last;
    private int generatedKeys;

    ToolCallAssembler(JsonProvider json) {
        this.json = json;
    }

    void add(Optional<Integer> index, Optional<String> id, Optional<String> name, Optional<String> argumentsFragment) {
        Builder call = null;
        String key = null;
        if (index.isPresent()) {
            key = "index:" + index.get();
            call = calls.get(key);
            if (call != null && id.isPresent() && call.id != null && !call.id.equals(id.get())) {
                key = "index:" + index.get() + "#" + (++generatedKeys);
                call = null;
            }
        } else if (id.isPresent()) {
            key = "id:" + id.get();
            call = calls.get(key);
        } else if (last != null) {
            call = last;
        } else {
            key = "anonymous:" + (++generatedKeys);
        }
        if (call == null) {
            call = new Builder();
            calls.put(key, call);
        }
        if (id.isPresent() && call.id == null) {
            call.id = id.get();
        }
        if (name.isPresent() && !name.get().isEmpty()) {
            call.name = call.name == null ? name.get() : call.name;
        }
        argumentsFragment.ifPresent(call.arguments::append);
        last = call;
    }

    boolean isEmpty() {
        return calls.isEmpty();
    }

    /** The calls assembled so far, in first-seen order; the assembler is empty afterwards. */
    List<Chunk.ToolCall> drain() throws StreamFailure {
        List<Chunk.ToolCall> out = new ArrayList<>(calls.size());
        int position = 0;
        for (Builder call : calls.values()) {
            if (call.name == null) {
                throw malformed("upstream sent a tool call without a function name");
            }
            String arguments = call.arguments.toString().strip();
            if (arguments.isEmpty()) {
                arguments = "{}";
            }
            if (!isJson(arguments)) {
                throw malformed("upstream sent tool call '" + call.name + "' with arguments that are not valid JSON");
            }
            String id = call.id != null && !call.id.isEmpty() ? call.id : "call_" + position;
            out.add(new Chunk.ToolCall(id, call.name, arguments));
            position++;
        }
        calls.clear();
        last = null;
        return out;
    }

    private boolean isJson(String text) {
        try (JsonReader reader = json.createReader(new StringReader(text))) {
            reader.readValue();
            return true;
        } catch (JsonException | IllegalStateException e) {
            return false;
        }
    }

    private static StreamFailure malformed(String message) {
        return new StreamFailure(ProviderFailure.of(ProviderFailure.Kind.MALFORMED, message));
    }

    private static final class Builder {
        private String id;
        private String name;
        private final StringBuilder arguments = new StringBuilder();
    }
}
