package dev.aiprogress.provider.anthropic;

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

class AnthropicDialectTest {

    private final AnthropicDialect dialect = new AnthropicDialect();
    private final ProviderSettings settings = ProviderSettings.of("claude", "anthropic", URI.create("https://api.anthropic.com"), "claude-x");

    private static ChatRequest request(List<ChatMessage> messages, OptionalDouble temperature, OptionalInt maxTokens,
                                       List<ToolSpec> tools, boolean reasoning, Optional<String> state) {
        return new ChatRequest("claude-x", messages, temperature, maxTokens, tools, reasoning, state);
    }

    private static ChatRequest plain(boolean reasoning, ChatMessage... messages) {
        return request(List.of(messages), OptionalDouble.of(0.5), OptionalInt.empty(), List.of(), reasoning, Optional.empty());
    }

    private void assertBody(String expected, ChatRequest request) {
        assertEquals(parse(expected), parse(dialect.call(request, settings, JSON).body()));
    }

    @Test
    void call_withKey_pathAndHeaders() {
        UpstreamCall call = dialect.call(plain(false, ChatMessage.of(Role.USER, "hi")), settings.withApiKey("sk-ant-1"), JSON);
        assertEquals("/v1/messages", call.pathAndQuery());
        assertEquals(Map.of("x-api-key", "sk-ant-1", "anthropic-version", "2023-06-01"), call.headers());
        assertEquals(WireDialect.Framing.SSE, dialect.framing());
        assertEquals("anthropic", dialect.name());
    }

    @Test
    void call_withoutKey_sendsNoKeyHeader() {
        UpstreamCall call = dialect.call(plain(false, ChatMessage.of(Role.USER, "hi")), settings, JSON);
        assertEquals(Map.of("anthropic-version", "2023-06-01"), call.headers());
    }

    @Test
    void call_textAndSystemWithoutThinking_topLevelSystemDefaultMaxTokensAndTemperature() {
        assertBody("""
                {"model":"claude-x","max_tokens":8192,"system":"Be brief.\\n\\nAnswer in French.",
                 "messages":[{"role":"user","content":[{"type":"text","text":"Hello"}]},
                             {"role":"assistant","content":[{"type":"text","text":"Bonjour"}]},
                             {"role":"user","content":[{"type":"text","text":"Again"}]}],
                 "stream":true,"temperature":0.5}
                """, plain(false, ChatMessage.of(Role.SYSTEM, "Be brief."), ChatMessage.of(Role.SYSTEM, "Answer in French."),
                ChatMessage.of(Role.USER, "Hello"), ChatMessage.of(Role.ASSISTANT, "Bonjour"), ChatMessage.of(Role.USER, "Again")));
    }

    @Test
    void call_thinkingOn_addsBudgetHalfOfMaxTokensAndDropsTemperature() {
        assertBody("""
                {"model":"claude-x","max_tokens":8192,
                 "messages":[{"role":"user","content":[{"type":"text","text":"Hi"}]}],
                 "stream":true,"thinking":{"type":"enabled","budget_tokens":4096}}
                """, plain(true, ChatMessage.of(Role.USER, "Hi")));
    }

    @Test
    void call_thinkingWithSmallMaxTokens_raisesMaxTokensAboveTheMinimumBudget() {
        assertBody("""
                {"model":"claude-x","max_tokens":2048,
                 "messages":[{"role":"user","content":[{"type":"text","text":"Hi"}]}],
                 "stream":true,"thinking":{"type":"enabled","budget_tokens":1024}}
                """, request(List.of(ChatMessage.of(Role.USER, "Hi")), OptionalDouble.empty(), OptionalInt.of(500),
                List.of(), true, Optional.empty()));
    }

    @Test
    void call_imagesByDataAndHttpsUrl_base64AndUrlSources() {
        ChatMessage user = new ChatMessage(Role.USER, List.of(new ContentPart.Text("What is this?"),
                new ContentPart.Image("data:image/png;base64,iVBORw0KGgo="),
                new ContentPart.Image("https://example.com/cat.jpg")), Optional.empty(), List.of());
        assertBody("""
                {"model":"claude-x","max_tokens":8192,
                 "messages":[{"role":"user","content":[
                   {"type":"text","text":"What is this?"},
                   {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
                   {"type":"image","source":{"type":"url","url":"https://example.com/cat.jpg"}}]}],
                 "stream":true}
                """, request(List.of(user), OptionalDouble.empty(), OptionalInt.empty(), List.of(), false, Optional.empty()));
    }

    @Test
    void call_toolsCallsAndResults_toolUseBlocksAndOneUserMessageOfResults() {
        ChatMessage call = new ChatMessage(Role.ASSISTANT, List.of(new ContentPart.Text("Checking.")), Optional.empty(), List.of(
                new ChatMessage.ToolCallRef("toolu_1", "get_weather", "{\"city\":\"Paris\"}"),
                new ChatMessage.ToolCallRef("toolu_2", "get_weather", "{\"city\":\"Rome\"}")));
        ChatMessage r1 = new ChatMessage(Role.TOOL, List.of(new ContentPart.Text("18C")), Optional.of("toolu_1"), List.of());
        ChatMessage r2 = new ChatMessage(Role.TOOL, List.of(new ContentPart.Text("25C")), Optional.of("toolu_2"), List.of());
        ToolSpec weather = new ToolSpec("get_weather", "Weather by city",
                "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}");
        assertBody("""
                {"model":"claude-x","max_tokens":8192,
                 "messages":[{"role":"user","content":[{"type":"text","text":"Weather?"}]},
                   {"role":"assistant","content":[{"type":"text","text":"Checking."},
                     {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}},
                     {"type":"tool_use","id":"toolu_2","name":"get_weather","input":{"city":"Rome"}}]},
                   {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"18C"},
                                             {"type":"tool_result","tool_use_id":"toolu_2","content":"25C"}]}],
                 "stream":true,
                 "tools":[{"name":"get_weather","description":"Weather by city",
                   "input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}]}
                """, request(List.of(ChatMessage.of(Role.USER, "Weather?"), call, r1, r2), OptionalDouble.empty(),
                OptionalInt.empty(), List.of(weather), false, Optional.empty()));
    }

    @Test
    void call_providerStateWithThinking_reinsertsBlocksAtStartOfLastAssistantMessage() {
        ChatMessage call = new ChatMessage(Role.ASSISTANT, List.of(), Optional.empty(),
                List.of(new ChatMessage.ToolCallRef("toolu_1", "now", "{}")));
        ChatMessage result = new ChatMessage(Role.TOOL, List.of(new ContentPart.Text("noon")), Optional.of("toolu_1"), List.of());
        String state = "[{\"type\":\"thinking\",\"thinking\":\"Need time\",\"signature\":\"S1\"},"
                + "{\"type\":\"redacted_thinking\",\"data\":\"R1\"},{\"type\":\"other\"}]";
        assertBody("""
                {"model":"claude-x","max_tokens":8192,
                 "messages":[{"role":"user","content":[{"type":"text","text":"Time?"}]},
                   {"role":"assistant","content":[{"type":"thinking","thinking":"Need time","signature":"S1"},
                     {"type":"redacted_thinking","data":"R1"},
                     {"type":"tool_use","id":"toolu_1","name":"now","input":{}}]},
                   {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"noon"}]}],
                 "stream":true,"thinking":{"type":"enabled","budget_tokens":4096}}
                """, request(List.of(ChatMessage.of(Role.USER, "Time?"), call, result), OptionalDouble.empty(),
                OptionalInt.empty(), List.of(), true, Optional.of(state)));
    }

    @Test
    void call_providerStateNotAnArray_isIgnored() {
        assertBody("""
                {"model":"claude-x","max_tokens":8192,
                 "messages":[{"role":"user","content":[{"type":"text","text":"a"}]},
                   {"role":"assistant","content":[{"type":"text","text":"b"}]}],
                 "stream":true,"thinking":{"type":"enabled","budget_tokens":4096}}
                """, request(List.of(ChatMessage.of(Role.USER, "a"), ChatMessage.of(Role.ASSISTANT, "b")), OptionalDouble.empty(),
                OptionalInt.empty(), List.of(), true, Optional.of("{\"gemini\":true}")));
    }

    @Test
    void describeHttpError_anthropicErrorObject_typeAndMessage() {
        assertEquals("rate_limit_error: Number of requests has exceeded your rate limit (HTTP 429)",
                dialect.describeHttpError(429, "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\","
                        + "\"message\":\"Number of requests has exceeded your rate limit\"}}", JSON));
    }

    @Test
    void describeHttpError_htmlPage_fixedSentence() {
        assertEquals("upstream returned an HTML error page (HTTP 502)",
                dialect.describeHttpError(502, "\n<!DOCTYPE html>\n<html><body>Bad gateway</body></html>", JSON));
    }

    @Test
    void describeHttpError_plainText_firstLineCappedAt200() {
        assertEquals("upstream is down (HTTP 503)", dialect.describeHttpError(503, "upstream is down\nretry later", JSON));
        assertEquals("x".repeat(200) + "… (HTTP 500)", dialect.describeHttpError(500, "x".repeat(300), JSON));
    }

    @Test
    void describeHttpError_jsonWithoutErrorObjectOrEmptyBody_fallsBack() {
        assertEquals("{\"detail\":\"nope\"} (HTTP 400)", dialect.describeHttpError(400, "{\"detail\":\"nope\"}", JSON));
        assertEquals("upstream returned HTTP 401 with an empty body", dialect.describeHttpError(401, "  ", JSON));
    }

    @Test
    void call_messageWithoutAnyContent_isLeftOut() {
        assertBody("""
                {"model":"claude-x","max_tokens":8192,"temperature":0.5,
                 "messages":[{"role":"user","content":[{"type":"text","text":"a"}]},
                   {"role":"user","content":[{"type":"text","text":"b"}]}],
                 "stream":true}
                """, plain(false, ChatMessage.of(Role.USER, "a"), ChatMessage.of(Role.ASSISTANT, ""), ChatMessage.of(Role.USER, "b"))
                .withModel("claude-x"));
    }
}
