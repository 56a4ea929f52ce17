package dev.aiprogress.provider.gemini;

import dev.aiprogress.provider.ChatMessage;
import dev.aiprogress.provider.ChatMessage.Role;
import dev.aiprogress.provider.ChatRequest;
import dev.aiprogress.provider.ContentPart;
import dev.aiprogress.provider.ProviderSettings;
import dev.aiprogress.provider.ToolSpec;
import dev.aiprogress.provider.UpstreamCall;
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

class GeminiDialectTest {

    private final GeminiDialect dialect = new GeminiDialect();
    private final ProviderSettings settings = ProviderSettings.of("gem", "gemini",
            URI.create("https://generativelanguage.googleapis.com"), "gemini-2.5-flash");

    private static ChatRequest request(List<ChatMessage> messages, OptionalDouble temperature, OptionalInt maxTokens,
                                       List<ToolSpec> tools, boolean reasoning, Optional<String> state) {
        return new ChatRequest("gemini-2.5-flash", messages, temperature, maxTokens, tools, reasoning, state);
    }

    private void assertBody(String expected, ChatRequest request) {
        assertEquals(parse(expected), parse(dialect.call(request, settings, JSON).body()));
    }

    @Test
    void call_withKey_keyInHeaderNeverInQuery() {
        UpstreamCall call = dialect.call(ChatRequest.of("gemini-2.5-flash", List.of(ChatMessage.of(Role.USER, "hi"))),
                settings.withApiKey("AIza-secret"), JSON);
        assertEquals("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", call.pathAndQuery());
        assertEquals(Map.of("x-goog-api-key", "AIza-secret"), call.headers());
    }

    @Test
    void call_withoutKey_noHeaders() {
        UpstreamCall call = dialect.call(ChatRequest.of("gemini-2.5-flash", List.of(ChatMessage.of(Role.USER, "hi"))), settings, JSON);
        assertEquals(Map.of(), call.headers());
    }

    @Test
    void path_oddModelNames_areOneEncodedSegment() {
        assertEquals("/v1beta/models/tuned%2Fmy%20model%3Fx:streamGenerateContent?alt=sse", GeminiDialect.path("tuned/my model?x"));
        assertEquals("/v1beta/models/gemini-pro:streamGenerateContent?alt=sse", GeminiDialect.path("models/gemini-pro"));
    }

    @Test
    void call_textSystemAndConfigWithReasoning_systemInstructionAndThinkingConfig() {
        assertBody("""
                {"contents":[{"role":"user","parts":[{"text":"Hello"}]},
                             {"role":"model","parts":[{"text":"Hi!"}]},
                             {"role":"user","parts":[{"text":"More"}]}],
                 "systemInstruction":{"parts":[{"text":"Be brief."}]},
                 "generationConfig":{"temperature":0.2,"maxOutputTokens":1000,"thinkingConfig":{"includeThoughts":true}}}
                """, request(List.of(ChatMessage.of(Role.SYSTEM, "Be brief."), ChatMessage.of(Role.USER, "Hello"),
                ChatMessage.of(Role.ASSISTANT, "Hi!"), ChatMessage.of(Role.USER, "More")), OptionalDouble.of(0.2),
                OptionalInt.of(1000), List.of(), true, Optional.empty()));
    }

    @Test
    void call_reasoningOffAndNoSettings_noGenerationConfig() {
        assertBody("""
                {"contents":[{"role":"user","parts":[{"text":"Hello"}]}]}
                """, request(List.of(ChatMessage.of(Role.USER, "Hello")), OptionalDouble.empty(), OptionalInt.empty(),
                List.of(), false, Optional.empty()));
    }

    @Test
    void call_imagesByDataAndHttpsUrl_inlineDataAndFileData() {
        ChatMessage user = new ChatMessage(Role.USER, List.of(new ContentPart.Text("Compare"),
                new ContentPart.Image("data:image/jpeg;base64,/9j/4AAQ"), new ContentPart.Image("https://example.com/b.png")),
                Optional.empty(), List.of());
        assertBody("""
                {"contents":[{"role":"user","parts":[{"text":"Compare"},
                   {"inlineData":{"mimeType":"image/jpeg","data":"/9j/4AAQ"}},
                   {"fileData":{"fileUri":"https://example.com/b.png"}}]}]}
                """, request(List.of(user), OptionalDouble.empty(), OptionalInt.empty(), List.of(), false, Optional.empty()));
    }

    @Test
    void call_toolsCallsAndResults_functionDeclarationsCallsAndMergedResponses() {
        ChatMessage call = new ChatMessage(Role.ASSISTANT, List.of(), Optional.empty(), List.of(
                new ChatMessage.ToolCallRef("call_1", "get_weather", "{\"city\":\"Paris\"}"),
                new ChatMessage.ToolCallRef("call_2", "now", "{}")));
        ChatMessage r1 = new ChatMessage(Role.TOOL, List.of(new ContentPart.Text("{\"temp\":18}")), Optional.of("call_1"), List.of());
        ChatMessage r2 = new ChatMessage(Role.TOOL, List.of(new ContentPart.Text("noon")), Optional.of("call_2"), List.of());
        List<ToolSpec> tools = List.of(new ToolSpec("get_weather", "Weather by city",
                "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}"), new ToolSpec("now", "Current time", "{}"));
        assertBody("""
                {"contents":[{"role":"user","parts":[{"text":"Weather?"}]},
                   {"role":"model","parts":[{"functionCall":{"name":"get_weather","args":{"city":"Paris"}}},
                                            {"functionCall":{"name":"now","args":{}}}]},
                   {"role":"user","parts":[{"functionResponse":{"name":"get_weather","response":{"temp":18}}},
                                           {"functionResponse":{"name":"now","response":{"result":"noon"}}}]}],
                 "tools":[{"functionDeclarations":[
                   {"name":"get_weather","description":"Weather by city","parameters":{"type":"object","properties":{"city":{"type":"string"}}}},
                   {"name":"now","description":"Current time"}]}]}
                """, request(List.of(ChatMessage.of(Role.USER, "Weather?"), call, r1, r2), OptionalDouble.empty(),
                OptionalInt.empty(), tools, false, Optional.empty()));
    }

    @Test
    void call_providerState_putsSignaturesBackOnTheLastModelMessage() {
        ChatMessage call = new ChatMessage(Role.ASSISTANT, List.of(new ContentPart.Text("Checking")), Optional.empty(),
                List.of(new ChatMessage.ToolCallRef("call_1", "get_weather", "{\"city\":\"Paris\"}")));
        ChatMessage result = new ChatMessage(Role.TOOL, List.of(new ContentPart.Text("18C")), Optional.of("call_1"), List.of());
        String state = "{\"thoughtSignatures\":[{\"signature\":\"SIG-F\",\"functionCall\":\"get_weather\"},{\"signature\":\"SIG-T\"}]}";
        assertBody("""
                {"contents":[{"role":"user","parts":[{"text":"Weather?"}]},
                   {"role":"model","parts":[{"text":"Checking","thoughtSignature":"SIG-T"},
                     {"functionCall":{"name":"get_weather","args":{"city":"Paris"}},"thoughtSignature":"SIG-F"}]},
                   {"role":"user","parts":[{"functionResponse":{"name":"get_weather","response":{"result":"18C"}}}]}]}
                """, request(List.of(ChatMessage.of(Role.USER, "Weather?"), call, result), OptionalDouble.empty(),
                OptionalInt.empty(), List.of(), false, Optional.of(state)));
    }

    @Test
    void describeHttpError_googleErrorObject_statusAndMessage() {
        assertEquals("INVALID_ARGUMENT: API key not valid. Please pass a valid API key. (HTTP 400)",
                dialect.describeHttpError(400, "{\n  \"error\": {\n    \"code\": 400,\n    \"message\": \"API key not valid. "
                        + "Please pass a valid API key.\",\n    \"status\": \"INVALID_ARGUMENT\"\n  }\n}\n", JSON));
    }

    @Test
    void describeHttpError_errorArrayAndHtml_bothRead() {
        assertEquals("RESOURCE_EXHAUSTED: Quota exceeded (HTTP 429)", dialect.describeHttpError(429,
                "[{\"error\":{\"code\":429,\"message\":\"Quota exceeded\",\"status\":\"RESOURCE_EXHAUSTED\"}}]", JSON));
        assertEquals("upstream returned an HTML error page (HTTP 404)",
                dialect.describeHttpError(404, "<html><head><title>404</title></head></html>", JSON));
    }
}
