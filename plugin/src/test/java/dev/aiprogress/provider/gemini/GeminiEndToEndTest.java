package dev.aiprogress.provider.gemini;

import dev.aiprogress.provider.ChatMessage;
import dev.aiprogress.provider.ChatMessage.Role;
import dev.aiprogress.provider.ChatRequest;
import dev.aiprogress.provider.ProviderFailure;
import dev.aiprogress.provider.ProviderFailure.Kind;
import dev.aiprogress.provider.ProviderSettings;
import dev.aiprogress.provider.ToolSpec;
import dev.aiprogress.stream.Chunk;
import dev.aiprogress.stream.Delta;
import dev.aiprogress.testsupport.GeminiStream;
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

/** The Gemini dialect through the real JDK HttpClient against {@code MockUpstream} speaking docs/PROVIDERS.md "Gemini". */
class GeminiEndToEndTest {

    private static final String KEY = "AIzaSy-SECRET-0123456789";
    private static final String MODEL = "gemini-2.5-flash";

    @RegisterExtension
    final StreamHarness harness = StreamHarness.of(new GeminiDialect());

    private ProviderSettings settings() {
        return harness.settings(MODEL).withApiKey(KEY);
    }

    private static ChatRequest question() {
        return ChatRequest.of(MODEL, List.of(ChatMessage.of(Role.USER, "Weather in Paris?")));
    }

    private RecordingListener run(MockResponse response) throws InterruptedException {
        return harness.run(settings(), question(), response);
    }

    /** The A5 sample: a thought summary, text, a whole function call with its signature and finishReason. */
    private static String sample() {
        return GeminiStream.create(MODEL)
                .usage(5, 0, 185).thought("**Planning the answer**\nCheck the weather.")
                .comment("keep-alive")
                .text("Hello!")
                .usage(5, 44, 186).functionCall("get_weather", "{\"city\":\"Paris\"}", "CiQB", "STOP")
                .build();
    }

    /** The offset just past the event holding {@code text} (Gemini ends events with CRLF CRLF). */
    private static int afterEventWith(String body, String text) {
        return body.indexOf("\r\n\r\n", body.indexOf(text)) + 4;
    }

    @Test
    void stream_sampleByteByByteWithComment_exactDeltasAndCumulativeUsage() throws InterruptedException {
        RecordingListener listener = run(MockResponse.sse(sample()).splitEvery(1));

        assertCleanCompletion(listener);
        assertEquals(List.of(
                Delta.reasoning("**Planning the answer**\nCheck the weather."),
                new Chunk.Usage(5, 185, OptionalLong.of(185)),
                Delta.content("Hello!"),
                new Chunk.ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}"),
                new Chunk.Finish("STOP"),
                new Chunk.Usage(5, 230, OptionalLong.of(186)),
                new Delta.ProviderState("{\"thoughtSignatures\":[{\"signature\":\"CiQB\",\"functionCall\":\"get_weather\"}]}")),
                listener.deltas());
    }

    @Test
    void stream_emojiAndCjkCutInsideTheirBytes_exactTextNoReplacement() throws InterruptedException {
        String text = "晴れ 😀 东京 🧠";
        String body = GeminiStream.create(MODEL).text(text).finish("", "STOP").build();
        int emoji = body.substring(0, body.indexOf("😀")).getBytes(StandardCharsets.UTF_8).length;
        int cjk = body.substring(0, body.indexOf("东")).getBytes(StandardCharsets.UTF_8).length;

        RecordingListener listener = run(MockResponse.sse(body).splitAt(1, emoji + 1, emoji + 2, emoji + 3, cjk + 1, cjk + 2)
                .pace(Duration.ofMillis(2)));

        assertCleanCompletion(listener);
        assertEquals(text, listener.contentText());
    }

    @Test
    void stream_errorObjectAfterDeltas_upstreamErrorKeepingTheDeltas() throws InterruptedException {
        String body = GeminiStream.create(MODEL).text("Par").text("tial")
                .error(500, "An internal error has occurred.", "INTERNAL")
                .text("never").build();

        RecordingListener listener = run(MockResponse.sse(body).splitEvery(11));

        assertEquals(ProviderFailure.of(Kind.UPSTREAM_ERROR, "gemini: INTERNAL: An internal error has occurred."),
                onlyFailure(listener, KEY));
        assertEquals(List.of(Delta.content("Par"), Delta.content("tial")), listener.deltas());
    }

    @Test
    void stream_blockedPrompt_upstreamErrorNamingTheReason() throws InterruptedException {
        String body = GeminiStream.create(MODEL)
                .data("{\"promptFeedback\":{\"blockReason\":\"SAFETY\"},\"usageMetadata\":{\"promptTokenCount\":8,\"totalTokenCount\":8}}")
                .build();

        RecordingListener listener = run(MockResponse.sse(body));

        assertEquals(ProviderFailure.of(Kind.UPSTREAM_ERROR, "prompt blocked: SAFETY"), onlyFailure(listener, KEY));
    }

    @Test
    void stream_bodyEndsWithoutFinishReason_truncated() throws InterruptedException {
        String body = GeminiStream.create(MODEL).usage(5, 2, 0).text("Hel").text("lo").build();

        RecordingListener listener = run(MockResponse.sse(body).closeDelimited());

        assertEquals(ProviderFailure.of(Kind.TRUNCATED, "gemini stream ended without a finishReason"), onlyFailure(listener, KEY));
        assertEquals("Hello", listener.contentText());
    }

    @Test
    void stream_chunkedBodyCutWithoutTerminator_truncated() throws InterruptedException {
        String body = sample();
        int cut = afterEventWith(body, "Hello!") + 20;

        RecordingListener listener = run(MockResponse.sse(body).splitEvery(64).truncateAfter(cut));

        assertEquals(ProviderFailure.of(Kind.TRUNCATED, "upstream connection closed before the end of the stream"),
                onlyFailure(listener, KEY));
        assertEquals("Hello!", listener.contentText());
    }

    @Test
    void stream_http401EchoingKey_keyFreeMessage() throws InterruptedException {
        RecordingListener listener = run(MockResponse.status(401).header("Content-Type", "application/json")
                .body("{\n  \"error\": {\n    \"code\": 401,\n    \"message\": \"API key " + KEY + " not valid.\",\n"
                        + "    \"status\": \"UNAUTHENTICATED\"\n  }\n}\n"));

        ProviderFailure failure = onlyFailure(listener, KEY);
        assertEquals(ProviderFailure.httpStatus(401, Optional.empty(),
                "UNAUTHENTICATED: API key [redacted] not valid. (HTTP 401)"), failure);
        assertFalse(failure.retryable());
    }

    @Test
    void stream_http429WithRetryAfter_retryableWithDelay() throws InterruptedException {
        RecordingListener listener = run(MockResponse.status(429).header("Retry-After", "30")
                .body("[{\"error\":{\"code\":429,\"message\":\"Quota exceeded\",\"status\":\"RESOURCE_EXHAUSTED\"}}]"));

        ProviderFailure failure = onlyFailure(listener, KEY);
        assertEquals(ProviderFailure.httpStatus(429, Optional.of(Duration.ofSeconds(30)),
                "RESOURCE_EXHAUSTED: Quota exceeded (HTTP 429)"), failure);
        assertTrue(failure.retryable());
    }

    @Test
    void stream_http500PlainText_firstLine() throws InterruptedException {
        RecordingListener listener = run(MockResponse.status(500).body("backend error\ndetails").closeDelimited());

        assertEquals(ProviderFailure.httpStatus(500, Optional.empty(), "backend error (HTTP 500)"), onlyFailure(listener, KEY));
    }

    @Test
    void stream_http404HtmlPage_htmlSentence() throws InterruptedException {
        RecordingListener listener = run(MockResponse.status(404).header("Content-Type", "text/html")
                .body("<html><head><title>Error 404 (Not Found)!!1</title></head><body>" + KEY + "</body></html>"));

        assertEquals(ProviderFailure.httpStatus(404, Optional.empty(), "upstream returned an HTML error page (HTTP 404)"),
                onlyFailure(listener, KEY));
    }

    @Test
    void cancel_midStream_upstreamSeesDisconnectAndOneCancelled() throws InterruptedException {
        String body = sample();

        RecordingListener listener = harness.cancelAfter(3, settings(), question(),
                MockResponse.sse(body).splitAt(afterEventWith(body, "Hello!")).stallAfter(1));

        assertEquals(Kind.CANCELLED, onlyFailure(listener, KEY).kind());
        assertTrue(harness.upstream().awaitClientDisconnect(WAIT));
        assertEquals("Hello!", listener.contentText());
    }

    @Test
    void stream_thinkingRequestWithSystemAndTool_keyOnlyInHeaderAndExactBody() throws InterruptedException {
        ChatRequest request = new ChatRequest(MODEL, List.of(
                ChatMessage.of(Role.SYSTEM, "Be brief."), ChatMessage.of(Role.USER, "Weather in Paris?")),
                OptionalDouble.of(0.5), OptionalInt.of(1024),
                List.of(new ToolSpec("get_weather", "Weather for a city",
                        "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}")),
                true, Optional.empty());

        harness.run(settings(), request, MockResponse.sse(sample()));
        RecordedRequest sent = harness.upstream().takeRequest(WAIT);

        assertEquals("POST", sent.method());
        assertEquals("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", sent.target());
        assertEquals(Optional.of(KEY), sent.header("x-goog-api-key"));
        assertFalse(sent.target().contains(KEY));
        assertEquals(Optional.empty(), sent.header("Authorization"));
        assertEquals(Optional.of("application/json"), sent.header("Content-Type"));
        assertEquals(Optional.of("text/event-stream"), sent.header("Accept"));
        assertEquals("{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Weather in Paris?\"}]}],"
                + "\"systemInstruction\":{\"parts\":[{\"text\":\"Be brief.\"}]},"
                + "\"generationConfig\":{\"temperature\":0.5,\"maxOutputTokens\":1024,\"thinkingConfig\":{\"includeThoughts\":true}},"
                + "\"tools\":[{\"functionDeclarations\":[{\"name\":\"get_weather\",\"description\":\"Weather for a city\","
                + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}]}]}", sent.body());
    }
}
