package dev.aiprogress.provider.ollama;

import dev.aiprogress.provider.ChatMessage;
import dev.aiprogress.provider.ChatMessage.Role;
import dev.aiprogress.provider.ChatRequest;
import dev.aiprogress.provider.ProviderFailure;
import dev.aiprogress.provider.ProviderFailure.Kind;
import dev.aiprogress.provider.ProviderSettings;
import dev.aiprogress.provider.ToolSpec;
import dev.aiprogress.stream.Chunk;
import dev.aiprogress.stream.Delta;
import dev.aiprogress.testsupport.MockResponse;
import dev.aiprogress.testsupport.OllamaStream;
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

/** The Ollama dialect through the real JDK HttpClient against {@code MockUpstream} speaking docs/PROVIDERS.md "Ollama". */
class OllamaEndToEndTest {

    private static final String KEY = "ollama-cloud-SECRET-0123456789";
    private static final String MODEL = "qwen3";

    @RegisterExtension
    final StreamHarness harness = StreamHarness.of(new OllamaDialect());

    private ProviderSettings local() {
        return harness.settings(MODEL);
    }

    private static ChatRequest question() {
        return ChatRequest.of(MODEL, List.of(ChatMessage.of(Role.USER, "What is HTTP/2?")));
    }

    private RecordingListener run(MockResponse response) throws InterruptedException {
        return harness.run(local(), question(), response);
    }

    private RecordingListener runWithKey(MockResponse response) throws InterruptedException {
        return harness.run(local().withApiKey(KEY), question(), response);
    }

    /** The A6 sample, with a blank line between objects as some proxies add. */
    private static String sample() {
        return OllamaStream.create(MODEL)
                .thinking("Okay")
                .line("")
                .content("HTTP/2 is")
                .toolCall("get_weather", "{\"city\":\"Paris\"}")
                .done("stop", 10, 17)
                .build();
    }

    @Test
    void stream_sampleByteByByte_exactDeltas() throws InterruptedException {
        RecordingListener listener = run(MockResponse.ndjson(sample()).splitEvery(1));

        assertCleanCompletion(listener);
        assertEquals(List.of(
                Delta.reasoning("Okay"),
                Delta.content("HTTP/2 is"),
                new Chunk.ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}"),
                new Chunk.Usage(10, 17, OptionalLong.empty()),
                new Chunk.Finish("stop")), listener.deltas());
    }

    @Test
    void stream_emojiAndCjkCutInsideTheirBytes_exactTextNoReplacement() throws InterruptedException {
        String text = "好的 😀 中文 🧠";
        String body = OllamaStream.create(MODEL).content(text).done("stop", 1, 2).build();
        int emoji = body.substring(0, body.indexOf("😀")).getBytes(StandardCharsets.UTF_8).length;
        int cjk = body.substring(0, body.indexOf("中")).getBytes(StandardCharsets.UTF_8).length;

        RecordingListener listener = run(MockResponse.ndjson(body).splitAt(emoji + 1, emoji + 2, emoji + 3, cjk + 1, cjk + 2)
                .pace(Duration.ofMillis(2)));

        assertCleanCompletion(listener);
        assertEquals(text, listener.contentText());
    }

    @Test
    void stream_errorLineAfterDeltas_upstreamErrorKeepingTheDeltas() throws InterruptedException {
        String body = OllamaStream.create(MODEL).content("Par").content("tial")
                .error("an error was encountered while running the model")
                .content("never").build();

        RecordingListener listener = run(MockResponse.ndjson(body).splitEvery(13));

        assertEquals(ProviderFailure.of(Kind.UPSTREAM_ERROR, "ollama: an error was encountered while running the model"),
                onlyFailure(listener, KEY));
        assertEquals(List.of(Delta.content("Par"), Delta.content("tial")), listener.deltas());
    }

    @Test
    void stream_closeDelimitedBodyEndsBeforeDone_truncated() throws InterruptedException {
        String body = OllamaStream.create(MODEL).content("Hel").content("lo").build();

        RecordingListener listener = run(MockResponse.ndjson(body).closeDelimited());

        assertEquals(ProviderFailure.of(Kind.TRUNCATED, "ollama stream ended before done:true"), onlyFailure(listener, KEY));
        assertEquals("Hello", listener.contentText());
    }

    @Test
    void stream_chunkedBodyCutWithoutTerminator_truncated() throws InterruptedException {
        String body = sample();
        int cut = body.indexOf('\n', body.indexOf("HTTP/2 is")) + 20;

        RecordingListener listener = run(MockResponse.ndjson(body).splitEvery(32).truncateAfter(cut));

        assertEquals(ProviderFailure.of(Kind.TRUNCATED, "upstream connection closed before the end of the stream"),
                onlyFailure(listener, KEY));
        assertEquals(List.of(Delta.reasoning("Okay"), Delta.content("HTTP/2 is")), listener.deltas());
    }

    @Test
    void stream_http401EchoingKey_keyFreeMessage() throws InterruptedException {
        RecordingListener listener = runWithKey(MockResponse.status(401).header("Content-Type", "application/json")
                .body("{\"error\":\"unauthorized: Bearer " + KEY + "\"}"));

        ProviderFailure failure = onlyFailure(listener, KEY);
        assertEquals(ProviderFailure.httpStatus(401, Optional.empty(), "unauthorized: Bearer [redacted] (HTTP 401)"), failure);
        assertFalse(failure.retryable());
    }

    @Test
    void stream_http429WithRetryAfter_retryableWithDelay() throws InterruptedException {
        RecordingListener listener = runWithKey(MockResponse.status(429).header("Retry-After", "3")
                .body("{\"error\":\"too many requests\"}"));

        ProviderFailure failure = onlyFailure(listener, KEY);
        assertEquals(ProviderFailure.httpStatus(429, Optional.of(Duration.ofSeconds(3)), "too many requests (HTTP 429)"), failure);
        assertTrue(failure.retryable());
    }

    @Test
    void stream_http500ModelError_theErrorString() throws InterruptedException {
        RecordingListener listener = run(MockResponse.status(500)
                .body("{\"error\":\"llama runner process has terminated: exit status 2\"}").closeDelimited());

        assertEquals(ProviderFailure.httpStatus(500, Optional.empty(),
                "llama runner process has terminated: exit status 2 (HTTP 500)"), onlyFailure(listener, KEY));
    }

    @Test
    void stream_http502HtmlPageFromProxy_htmlSentence() throws InterruptedException {
        RecordingListener listener = runWithKey(MockResponse.status(502).header("Content-Type", "text/html")
                .body("<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>" + KEY + "</body></html>"));

        assertEquals(ProviderFailure.httpStatus(502, Optional.empty(), "upstream returned an HTML error page (HTTP 502)"),
                onlyFailure(listener, KEY));
    }

    @Test
    void cancel_midStream_upstreamSeesDisconnectAndOneCancelled() throws InterruptedException {
        String body = sample();

        RecordingListener listener = harness.cancelAfter(2, local(), question(),
                MockResponse.ndjson(body).splitAt(body.indexOf('\n', body.indexOf("HTTP/2 is")) + 1).stallAfter(1));

        assertEquals(Kind.CANCELLED, onlyFailure(listener, KEY).kind());
        assertTrue(harness.upstream().awaitClientDisconnect(WAIT));
        assertEquals(List.of(Delta.reasoning("Okay"), Delta.content("HTTP/2 is")), listener.deltas());
    }

    @Test
    void stream_localWithoutKey_noAuthorizationAndExactBody() throws InterruptedException {
        ChatRequest request = new ChatRequest(MODEL, List.of(
                ChatMessage.of(Role.SYSTEM, "Be brief."), ChatMessage.of(Role.USER, "Weather in Paris?")),
                OptionalDouble.of(0.5), OptionalInt.of(256),
                List.of(new ToolSpec("get_weather", "Weather for a city",
                        "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}")),
                true, Optional.empty());

        harness.run(local(), request, MockResponse.ndjson(sample()));
        RecordedRequest sent = harness.upstream().takeRequest(WAIT);

        assertEquals("POST", sent.method());
        assertEquals("/api/chat", sent.target());
        assertEquals(Optional.empty(), sent.header("Authorization"));
        assertEquals(Optional.of("application/json"), sent.header("Content-Type"));
        assertEquals(Optional.of("application/x-ndjson"), sent.header("Accept"));
        assertEquals("{\"model\":\"qwen3\",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":\"Weather in Paris?\"}],\"stream\":true,\"think\":true,"
                + "\"options\":{\"temperature\":0.5,\"num_predict\":256},"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"description\":\"Weather for a city\","
                + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}}]}", sent.body());
    }

    @Test
    void stream_cloudWithKey_bearerHeader() throws InterruptedException {
        harness.run(local().withApiKey(KEY), question(), MockResponse.ndjson(sample()));
        RecordedRequest sent = harness.upstream().takeRequest(WAIT);

        assertEquals("/api/chat", sent.target());
        assertEquals(Optional.of("Bearer " + KEY), sent.header("Authorization"));
    }
}
