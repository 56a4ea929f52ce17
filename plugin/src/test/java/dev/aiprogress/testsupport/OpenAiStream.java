package dev.aiprogress.testsupport;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds an OpenAI-compatible SSE body line by line, in the exact shape of
 * docs/PROVIDERS.md "OpenAI Chat Completions" and "DeepSeek".
 *
 * <pre>{@code
 * String body = OpenAiStream.create("deepseek-reasoner")
 *         .keepAlive()                      // ": keep-alive"
 *         .role()                           // {"role":"assistant","content":""}
 *         .reasoning("Okay")                // {"reasoning_content":"Okay"}
 *         .content("9.11")
 *         .toolCallStart(0, "call_1", "get_weather")
 *         .toolCallArguments(0, "{\"city\":\"Pa")
 *         .toolCallArguments(0, "ris\"}")
 *         .finish("tool_calls")
 *         .usage(20, 9, 0)                  // "choices":[] usage chunk
 *         .done()                           // data: [DONE]
 *         .build();
 * }</pre>
 * {@link #data(String)} adds any raw {@code data:} payload (errors, odd server variants);
 * {@link #crlf()} switches every line end to CRLF.
 */
public final class OpenAiStream {

    private final String model;
    private final List<String> events = new ArrayList<>();
    private String lineEnd = "\n";

    private OpenAiStream(String model) {
        this.model = model;
    }

    public static OpenAiStream create(String model) {
        return new OpenAiStream(model);
    }

    public OpenAiStream crlf() {
        lineEnd = "\r\n";
        return this;
    }

    public OpenAiStream keepAlive() {
        events.add(": keep-alive");
        return this;
    }

    public OpenAiStream comment(String text) {
        events.add(": " + text);
        return this;
    }

    public OpenAiStream role() {
        return delta("{\"role\":\"assistant\",\"content\":\"\"}");
    }

    /** DeepSeek style: {@code reasoning_content} with {@code content: null}. */
    public OpenAiStream reasoning(String text) {
        return delta("{\"content\":null,\"reasoning_content\":" + Json.quote(text) + "}");
    }

    /** Reasoning in another field: {@code reasoning} (OpenRouter, vLLM) or {@code thinking}. */
    public OpenAiStream reasoningField(String field, String text) {
        return delta("{" + Json.quote(field) + ":" + Json.quote(text) + "}");
    }

    public OpenAiStream content(String text) {
        return delta("{\"content\":" + Json.quote(text) + "}");
    }

    public OpenAiStream toolCallStart(int index, String id, String name) {
        return delta("{\"tool_calls\":[{\"index\":" + index + ",\"id\":" + Json.quote(id)
                + ",\"type\":\"function\",\"function\":{\"name\":" + Json.quote(name) + ",\"arguments\":\"\"}}]}");
    }

    public OpenAiStream toolCallArguments(int index, String fragment) {
        return delta("{\"tool_calls\":[{\"index\":" + index + ",\"function\":{\"arguments\":" + Json.quote(fragment) + "}}]}");
    }

    /** A chunk whose {@code delta} is this JSON object text. */
    public OpenAiStream delta(String deltaJson) {
        return chunk("[{\"index\":0,\"delta\":" + deltaJson + ",\"finish_reason\":null}]", "");
    }

    public OpenAiStream finish(String reason) {
        return chunk("[{\"index\":0,\"delta\":{},\"finish_reason\":" + Json.quote(reason) + "}]", "");
    }

    /** DeepSeek style: usage on the finish chunk. */
    public OpenAiStream finishWithUsage(String reason, long prompt, long completion, long reasoningTokens) {
        return chunk("[{\"index\":0,\"delta\":{\"content\":\"\"},\"finish_reason\":" + Json.quote(reason) + "}]",
                ",\"usage\":" + usageJson(prompt, completion, reasoningTokens));
    }

    /** The separate usage chunk, {@code "choices":[]}. */
    public OpenAiStream usage(long prompt, long completion, long reasoningTokens) {
        return chunk("[]", ",\"usage\":" + usageJson(prompt, completion, reasoningTokens));
    }

    /** A usage chunk with {@code "choices":null} (some vLLM versions). */
    public OpenAiStream usageWithNullChoices(long prompt, long completion, long reasoningTokens) {
        return chunk("null", ",\"usage\":" + usageJson(prompt, completion, reasoningTokens));
    }

    /** Any {@code data:} payload, verbatim. */
    public OpenAiStream data(String payload) {
        events.add("data: " + payload);
        return this;
    }

    public OpenAiStream done() {
        return data("[DONE]");
    }

    public String build() {
        StringBuilder out = new StringBuilder();
        for (String event : events) {
            out.append(event).append(lineEnd).append(lineEnd);
        }
        return out.toString();
    }

    private OpenAiStream chunk(String choicesJson, String extra) {
        return data("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":"
                + Json.quote(model) + ",\"choices\":" + choicesJson + extra + "}");
    }

    private static String usageJson(long prompt, long completion, long reasoningTokens) {
        return "{\"prompt_tokens\":" + prompt + ",\"completion_tokens\":" + completion + ",\"total_tokens\":"
                + (prompt + completion) + ",\"completion_tokens_details\":{\"reasoning_tokens\":" + reasoningTokens + "}}";
    }
}
