package dev.aiprogress.provider.ollama;

import dev.aiprogress.provider.ChatMessage;
import dev.aiprogress.provider.ChatMessage.Role;
import dev.aiprogress.provider.ChatRequest;
import dev.aiprogress.provider.ContentPart;
import dev.aiprogress.provider.ProviderSettings;
import dev.aiprogress.provider.ToolSpec;
import dev.aiprogress.provider.UpstreamCall;
import dev.aiprogress.provider.WireDialect;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

import static dev.aiprogress.provider.FrameFeed.JSON;
import static dev.aiprogress.provider.FrameFeed.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;

class OllamaDialectTest {

    private final OllamaDialect dialect = new OllamaDialect();
    private final ProviderSettings settings = ProviderSettings.of("local", "ollama", URI.create("http://localhost:11434"), "qwen3");

    private static ChatRequest request(List<ChatMessage> messages, OptionalDouble temperature, OptionalInt maxTokens,
                                       List<ToolSpec> tools, boolean reasoning) {
        return new ChatRequest("qwen3", messages, temperature, maxTokens, tools, reasoning, Optional.empty());
    }

    private void assertBody(String expected, ChatRequest request) {
        assertEquals(parse(expected), parse(dialect.call(request, settings, JSON).body()));
    }

    @Test
    void call_withoutKey_noAuthorizationAndNdjson() {
        UpstreamCall call = dialect.call(ChatRequest.of("qwen3", List.of(ChatMessage.of(Role.USER, "hi"))), settings, JSON);
        assertEquals("/api/chat", call.pathAndQuery());
        assertEquals(Map.of(), call.headers());
        assertEquals(WireDialect.Framing.NDJSON, dialect.framing());
    }

    @Test
    void call_withKey_bearerAuthorization() {
        UpstreamCall call = dialect.call(ChatRequest.of("qwen3", List.of(ChatMessage.of(Role.USER, "hi"))),
                settings.withApiKey("olk-1"), JSON);
        assertEquals(Map.of("Authorization", "Bearer olk-1"), call.headers());
    }

    @Test
    void call_textSystemThinkingAndOptions_exactBody() {
        assertBody("""
                {"model":"qwen3","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"},
                   {"role":"assistant","content":"Hello"},{"role":"user","content":"Why?"}],
                 "stream":true,"think":true,"options":{"temperature":0.7,"num_predict":256}}
                """, request(List.of(ChatMessage.of(Role.SYSTEM, "Be brief."), ChatMessage.of(Role.USER, "Hi"),
                ChatMessage.of(Role.ASSISTANT, "Hello"), ChatMessage.of(Role.USER, "Why?")), OptionalDouble.of(0.7),
                OptionalInt.of(256), List.of(), true));
    }

    @Test
    void call_thinkingOffNoOptions_thinkFalseAndNoOptions() {
        assertBody("""
                {"model":"qwen3","messages":[{"role":"user","content":"Hi"}],"stream":true,"think":false}
                """, request(List.of(ChatMessage.of(Role.USER, "Hi")), OptionalDouble.empty(), OptionalInt.empty(), List.of(), false));
    }

    @Test
    void call_imagesByDataAndHttpsUrl_base64InImagesAndUrlAsTextLine() {
        ChatMessage user = new ChatMessage(Role.USER, List.of(new ContentPart.Text("Describe"),
                new ContentPart.Image("data:image/png;base64,iVBORw0KGgo="), new ContentPart.Image("https://example.com/c.jpg")),
                Optional.empty(), List.of());
        assertBody("""
                {"model":"qwen3","messages":[{"role":"user","content":"Describe\\n[image: https://example.com/c.jpg]",
                   "images":["iVBORw0KGgo="]}],"stream":true,"think":false}
                """, request(List.of(user), OptionalDouble.empty(), OptionalInt.empty(), List.of(), false));
    }

    @Test
    void call_toolsCallsAndResults_openAiFunctionFormatObjectArgumentsAndToolName() {
        ChatMessage call = new ChatMessage(Role.ASSISTANT, List.of(), Optional.empty(),
                List.of(new ChatMessage.ToolCallRef("call_1", "get_weather", "{\"city\":\"Paris\"}")));
        ChatMessage result = new ChatMessage(Role.TOOL, List.of(new ContentPart.Text("18C")), Optional.of("call_1"), List.of());
        ToolSpec weather = new ToolSpec("get_weather", "Weather by city", "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}");
        assertBody("""
                {"model":"qwen3","messages":[{"role":"user","content":"Weather?"},
                   {"role":"assistant","content":"","tool_calls":[{"function":{"name":"get_weather","arguments":{"city":"Paris"}}}]},
                   {"role":"tool","content":"18C","tool_name":"get_weather"}],
                 "stream":true,"think":false,
                 "tools":[{"type":"function","function":{"name":"get_weather","description":"Weather by city",
                   "parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}]}
                """, request(List.of(ChatMessage.of(Role.USER, "Weather?"), call, result), OptionalDouble.empty(),
                OptionalInt.empty(), List.of(weather), false));
    }

    @Test
    void describeHttpError_ollamaErrorString_isTheDetail() {
        assertEquals("model \"nope\" not found, try pulling it first (HTTP 404)",
                dialect.describeHttpError(404, "{\"error\":\"model \\\"nope\\\" not found, try pulling it first\"}", JSON));
        assertEquals("upstream returned an HTML error page (HTTP 502)",
                dialect.describeHttpError(502, "<html><body><h1>502 Bad Gateway</h1></body></html>", JSON));
        assertEquals("404 page not found (HTTP 404)", dialect.describeHttpError(404, "404 page not found", JSON));
    }
}
