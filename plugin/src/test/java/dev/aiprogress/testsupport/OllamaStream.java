package dev.aiprogress.testsupport;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds an Ollama {@code /api/chat} NDJSON body line by line, in the exact shape of
 * docs/PROVIDERS.md "Ollama": one JSON object per line, the last with {@code done: true}.
 *
 * <pre>{@code
 * String body = OllamaStream.create("qwen3")
 *         .thinking("Okay")
 *         .content("HTTP/2 is")
 *         .toolCall("get_weather", "{\"city\":\"Paris\"}")
 *         .done("stop", 10, 17)
 *         .build();
 * }</pre>
 */
public final class OllamaStream {

    private final String model;
    private final List<String> lines = new ArrayList<>();

    private OllamaStream(String model) {
        this.model = model;
    }

    public static OllamaStream create(String model) {
        return new OllamaStream(model);
    }

    public OllamaStream thinking(String text) {
        return message("\"content\":\"\",\"thinking\":" + Json.quote(text), false, "");
    }

    public OllamaStream content(String text) {
        return message("\"content\":" + Json.quote(text), false, "");
    }

    /** A whole tool call; {@code argumentsJson} is an object, as Ollama sends it. */
    public OllamaStream toolCall(String name, String argumentsJson) {
        return message("\"content\":\"\",\"tool_calls\":[{\"function\":{\"name\":" + Json.quote(name)
                + ",\"arguments\":" + argumentsJson + "}}]", false, "");
    }

    public OllamaStream done(String reason, long promptEvalCount, long evalCount) {
        return message("\"content\":\"\"", true, ",\"done_reason\":" + Json.quote(reason)
                + ",\"total_duration\":4353619900,\"load_duration\":63915300,\"prompt_eval_count\":" + promptEvalCount
                + ",\"prompt_eval_duration\":246847000,\"eval_count\":" + evalCount + ",\"eval_duration\":4032296000");
    }

    /** The mid-stream error line: status stays 200, no {@code done}. */
    public OllamaStream error(String text) {
        return line("{\"error\":" + Json.quote(text) + "}");
    }

    /** Any line, verbatim. */
    public OllamaStream line(String json) {
        lines.add(json);
        return this;
    }

    public String build() {
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            out.append(line).append('\n');
        }
        return out.toString();
    }

    private OllamaStream message(String messageFields, boolean done, String extra) {
        return line("{\"model\":" + Json.quote(model) + ",\"created_at\":\"2025-12-08T06:23:02.518Z\","
                + "\"message\":{\"role\":\"assistant\"," + messageFields + "},\"done\":" + done + extra + "}");
    }
}
