package dev.aiprogress.provider.anthropic;

import dev.aiprogress.provider.ChatMessage;
import dev.aiprogress.provider.ChatMessage.Role;
import dev.aiprogress.provider.ChatRequest;
import dev.aiprogress.provider.ContentPart;
import dev.aiprogress.provider.ProviderFailure;
import dev.aiprogress.provider.ProviderFailure.Kind;
import dev.aiprogress.provider.ProviderSettings;
import dev.aiprogress.provider.ToolSpec;
import dev.aiprogress.stream.Chunk;
import dev.aiprogress.stream.Delta;
import dev.aiprogress.testsupport.AnthropicStream;
import dev.aiprogress.testsupport.MockResponse;
import dev.aiprogress.testsupport.RecordedRequest;
import dev.aiprogress.testsupport.RecordingListener;
import dev.aiprogress.testsupport.StreamHarness;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

import static dev.aiprogress.testsupport.StreamHarness.WAIT;
import static dev.aiprogress.testsupport.StreamHarness.assertCleanCompletion;
import static dev.aiprogress.testsupport.StreamHarness.onlyFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Anthropic dialect through the real JDK HttpClient against {@code MockUpstream} speaking docs/PROVIDERS.md "Anthropic Messages". */
class AnthropicEndToEndTest {

    private static final String KEY = "sk-ant-api03-SECRET-0123456789";
    private static final String MODEL = "claude-sonnet-4-5";

    @RegisterExtension
    final StreamHarness harness = StreamHarness.of(new AnthropicDialect());

    private ProviderSettings settings() {
        return harness.settings(MODEL).withApiKey(KEY);
    }

    private static ChatRequest question() {
        return ChatRequest.of(MODEL, List.of(ChatMessage.of(Role.USER, "Weather in Paris?")));
    }

    private RecordingListener run(MockResponse response) throws InterruptedException {
        return harness.run(settings(), question(), response);
    }

    /** The A4 sample with every block closed, plus keep-alives of both kinds. */
    private static String sample() {
        return AnthropicStream.create(MODEL)
                .messageStart(25)
                .ping()
                .thinkingStart(0).thinkingDelta(0, "Let me check").signatureDelta(0, "EqQB").blockStop(0)
                .comment("keep-alive")
                .textStart(1).textDelta(1, "Paris").blockStop(1)
                .toolUseStart(2, "toolu_1", "get_weather")
                .inputJsonDelta(2, "").inputJsonDelta(2, "{\"city\": \"Pa").inputJsonDelta(2, "ris\"}")
                .ping()
                .blockStop(2)
                .messageDelta("tool_use", 91)
                .messageStop()
                .build();
    }

    @Test
    void stream_sampleByteByByteWithPingsAndComments_exactDeltas() throws InterruptedException {
        RecordingListener listener = run(MockResponse.sse(sample()).splitEvery(1));

        assertCleanCompletion(listener);
        assertEquals(List.of(
                Delta.reasoning("Let me check"),
                Delta.content("Paris"),
                new Chunk.ToolCall("toolu_1", "get_weather", "{\"city\":\"Paris\"}"),
                new Chunk.Finish("tool_use"),
                new Chunk.Usage(25, 91, OptionalLong.empty()),
                new Delta.ProviderState("[{\"type\":\"thinking\",\"thinking\":\"Let me check\",\"signature\":\"EqQB\"}]")),
                listener.deltas());
    }

    @Test
    void stream_emojiAndCjkCutInsideTheirBytes_exactTextNoReplacement() throws InterruptedException {
        String text = "Ok 😀 北京 🧠";
        String body = AnthropicStream.create(MODEL).messageStart(3).textStart(0).textDelta(0, text).blockStop(0)
                .messageDelta("end_turn", 9).messageStop().build();
        int emoji = body.substring(0, body.indexOf("😀")).getBytes(StandardCharsets.UTF_8).length;
        int cjk = body.substring(0, body.indexOf("北")).getBytes(StandardCharsets.UTF_8).length;

        RecordingListener listener = run(MockResponse.sse(body).splitAt(emoji + 1, emoji + 2, emoji + 3, cjk + 1, cjk + 2)
                .pace(Duration.ofMillis(2)));

        assertCleanCompletion(listener);
        assertEquals(text, listener.contentText());
    }

    @Test
    void stream_errorEventAfterDeltas_upstreamErrorKeepingTheDeltas() throws InterruptedException {
        String body = AnthropicStream.create(MODEL).messageStart(3)
                .textStart(0).textDelta(0, "Par").textDelta(0, "tial")
                .error("overloaded_error", "Overloaded")
                .textDelta(0, "never").build();

        RecordingListener listener = run(MockResponse.sse(body).splitEvery(9));

        ProviderFailure failure = onlyFailure(listener, KEY);
        assertEquals(ProviderFailure.of(Kind.UPSTREAM_ERROR, "anthropic: overloaded_error: Overloaded"), failure);
        assertEquals(List.of(Delta.content("Par"), Delta.content("tial")), listener.deltas());
    }

    @Test
    void stream_closeDelimitedBodyEndsBeforeMessageStop_truncated() throws InterruptedException {
        String body = AnthropicStream.create(MODEL).messageStart(3).textStart(0).textDelta(0, "Hel").blockStop(0)
                .messageDelta("end_turn", 2).build();

        RecordingListener listener = run(MockResponse.sse(body).closeDelimited());

        assertEquals(ProviderFailure.of(Kind.TRUNCATED, "anthropic stream ended before message_stop"),
                onlyFailure(listener, KEY));
        assertEquals("Hel", listener.contentText());
    }

    @Test
    void stream_chunkedBodyCutWithoutTerminator_truncated() throws InterruptedException {
        String body = sample();
        int cut = body.indexOf("Paris") + 40;

        RecordingListener listener = run(MockResponse.sse(body).splitEvery(64).truncateAfter(cut));

        assertEquals(ProviderFailure.of(Kind.TRUNCATED, "upstream connection closed before the end of the stream"),
                onlyFailure(listener, KEY));
        assertEquals(List.of(Delta.reasoning("Let me check"), Delta.content("Paris")), listener.deltas());
    }

    @Test
    void stream_toolBlockStillOpenAtMessageStop_malformedNotASilentDrop() throws InterruptedException {
        String body = AnthropicStream.create(MODEL).messageStart(3)
                .toolUseStart(0, "toolu_9", "get_weather").inputJsonDelta(0, "{\"city\":\"Paris\"}")
                .messageDelta("tool_use", 12).messageStop().build();

        RecordingListener listener = run(MockResponse.sse(body).splitEvery(5));

        assertEquals(ProviderFailure.of(Kind.MALFORMED,
                "anthropic stream ended (message_stop) with content block 0 (tool_use) still open"), onlyFailure(listener, KEY));
    }

    @Test
    void stream_http401EchoingKey_keyFreeMessage() throws InterruptedException {
        RecordingListener listener = run(MockResponse.status(401).header("Content-Type", "application/json")
                .body("{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid x-api-key " + KEY + "\"}}"));

        ProviderFailure failure = onlyFailure(listener, KEY);
        assertEquals(ProviderFailure.httpStatus(401, Optional.empty(),
                "authentication_error: invalid x-api-key [redacted] (HTTP 401)"), failure);
        assertFalse(failure.retryable());
    }

    @Test
    void stream_http429WithRetryAfter_retryableWithDelay() throws InterruptedException {
        RecordingListener listener = run(MockResponse.status(429).header("Retry-After", "12")
                .body("{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"Number of request tokens has exceeded your rate limit\"}}"));

        ProviderFailure failure = onlyFailure(listener, KEY);
        assertEquals(ProviderFailure.httpStatus(429, Optional.of(Duration.ofSeconds(12)),
                "rate_limit_error: Number of request tokens has exceeded your rate limit (HTTP 429)"), failure);
        assertTrue(failure.retryable());
    }

    @Test
    void stream_http529Overloaded_retryable() throws InterruptedException {
        RecordingListener listener = run(MockResponse.status(529)
                .body("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}").contentLength());

        ProviderFailure failure = onlyFailure(listener, KEY);
        assertEquals(ProviderFailure.httpStatus(529, Optional.empty(), "overloaded_error: Overloaded (HTTP 529)"), failure);
        assertTrue(failure.retryable());
    }

    @Test
    void stream_http500PlainText_firstLine() throws InterruptedException {
        RecordingListener listener = run(MockResponse.status(500).body("Internal error\nat line 3").closeDelimited());

        assertEquals(ProviderFailure.httpStatus(500, Optional.empty(), "Internal error (HTTP 500)"), onlyFailure(listener, KEY));
    }

    @Test
    void stream_http502HtmlPageEchoingKey_htmlSentence() throws InterruptedException {
        RecordingListener listener = run(MockResponse.status(502).header("Content-Type", "text/html")
                .body("<!DOCTYPE html><html><body>bad gateway for " + KEY + "</body></html>"));

        assertEquals(ProviderFailure.httpStatus(502, Optional.empty(), "upstream returned an HTML error page (HTTP 502)"),
                onlyFailure(listener, KEY));
    }

    @Test
    void cancel_midStream_upstreamSeesDisconnectAndOneCancelled() throws InterruptedException {
        String body = sample();

        RecordingListener listener = harness.cancelAfter(2, settings(), question(),
                MockResponse.sse(body).splitAt(body.indexOf("Paris") + 40).stallAfter(1));

        assertEquals(Kind.CANCELLED, onlyFailure(listener, KEY).kind());
        assertTrue(harness.upstream().awaitClientDisconnect(WAIT));
        assertEquals(List.of(Delta.reasoning("Let me check"), Delta.content("Paris")), listener.deltas());
    }

    @Test
    void stream_thinkingRequestWithSystemImageAndTool_exactRequest() throws InterruptedException {
        ChatRequest request = new ChatRequest(MODEL, List.of(
                ChatMessage.of(Role.SYSTEM, "Be brief."),
                new ChatMessage(Role.USER, List.of(new ContentPart.Text("What is this?"),
                        new ContentPart.Image("data:image/png;base64,iVBORw0KGgo=")), Optional.empty(), List.of())),
                OptionalDouble.empty(), OptionalInt.of(4096),
                List.of(new ToolSpec("get_weather", "Weather for a city",
                        "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}")),
                true, Optional.empty());

        harness.run(settings(), request, MockResponse.sse(sample()));
        RecordedRequest sent = harness.upstream().takeRequest(WAIT);

        assertEquals("POST", sent.method());
        assertEquals("/v1/messages", sent.target());
        assertEquals(Optional.of(KEY), sent.header("x-api-key"));
        assertEquals(Optional.of("2023-06-01"), sent.header("anthropic-version"));
        assertEquals(Optional.empty(), sent.header("Authorization"));
        assertEquals(Optional.of("application/json"), sent.header("Content-Type"));
        assertEquals(Optional.of("text/event-stream"), sent.header("Accept"));
        assertEquals("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":4096,\"system\":\"Be brief.\","
                + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"What is this?\"},"
                + "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"iVBORw0KGgo=\"}}]}],"
                + "\"stream\":true,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2048},"
                + "\"tools\":[{\"name\":\"get_weather\",\"description\":\"Weather for a city\","
                + "\"input_schema\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}]}", sent.body());
    }
}
