package dev.aiprogress.provider.openai;

import dev.aiprogress.provider.ProviderFailure;
import dev.aiprogress.provider.ProviderFailure.Kind;
import dev.aiprogress.stream.Chunk;
import dev.aiprogress.stream.Delta;
import dev.aiprogress.testsupport.MockResponse;
import dev.aiprogress.testsupport.OpenAiStream;
import dev.aiprogress.testsupport.RecordingListener;
import dev.aiprogress.testsupport.StreamHarness;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static dev.aiprogress.provider.openai.KeyedOpenAi.KEY;
import static dev.aiprogress.provider.openai.KeyedOpenAi.onlyFailure;
import static dev.aiprogress.provider.openai.KeyedOpenAi.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every way an OpenAI-compatible stream can fail, as typed, key-free failures. */
class OpenAiFailureTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @RegisterExtension
    final StreamHarness harness = StreamHarness.of(new OpenAiDialect());

    private final KeyedOpenAi openAi = new KeyedOpenAi(harness);

    @Test
    void stream_midStreamErrorObject_upstreamErrorAfterDeliveredDeltas() throws InterruptedException {
        String body = OpenAiStream.create("m").content("par").content("tial")
                .data("{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\",\"param\":null,\"code\":null}}")
                .content("never").done().build();

        RecordingListener listener = openAi.run(MockResponse.sse(body));

        ProviderFailure failure = onlyFailure(listener);
        assertEquals(Kind.UPSTREAM_ERROR, failure.kind());
        assertEquals("The server had an error", failure.message());
        assertEquals(List.of(Delta.content("par"), Delta.content("tial")), listener.deltas());
    }

    @Test
    void stream_midStreamErrorString_upstreamErrorWithThatText() throws InterruptedException {
        String body = OpenAiStream.create("m").content("x").data("{\"error\":\"overloaded\"}").build();

        ProviderFailure failure = onlyFailure(openAi.run(MockResponse.sse(body)));

        assertEquals(Kind.UPSTREAM_ERROR, failure.kind());
        assertEquals("overloaded", failure.message());
    }

    @Test
    void stream_midStreamErrorEchoingKey_keyRedacted() throws InterruptedException {
        String body = OpenAiStream.create("m").data("{\"error\":{\"message\":\"bad key " + KEY + "\"}}").build();

        ProviderFailure failure = onlyFailure(openAi.run(MockResponse.sse(body)));

        assertEquals("bad key [redacted]", failure.message());
    }

    @Test
    void stream_closeDelimitedBodyEndsWithoutDoneOrFinish_truncated() throws InterruptedException {
        String body = OpenAiStream.create("m").content("Hel").content("lo").build();

        RecordingListener listener = openAi.run(MockResponse.sse(body).closeDelimited());

        ProviderFailure failure = onlyFailure(listener);
        assertEquals(Kind.TRUNCATED, failure.kind());
        assertEquals("upstream connection closed before the end of the stream", failure.message());
        assertEquals("Hello", listener.contentText());
    }

    @Test
    void stream_chunkedBodyCutWithoutTerminator_truncated() throws InterruptedException {
        String body = OpenAiStream.create("m").content("Hel").content("lo").finish("stop").done().build();
        int cut = body.indexOf("lo") + 20;

        RecordingListener listener = openAi.run(MockResponse.sse(body).splitEvery(10).truncateAfter(cut));

        ProviderFailure failure = onlyFailure(listener);
        assertEquals(Kind.TRUNCATED, failure.kind());
        assertEquals("upstream connection closed before the end of the stream", failure.message());
        assertEquals("Hel", listener.contentText());
    }

    @Test
    void stream_resetAfterFirstToken_truncatedKeepingTheToken() throws InterruptedException {
        String body = OpenAiStream.create("m").content("first").content("second").finish("stop").done().build();
        int firstEvent = body.indexOf("\n\n") + 2;

        // the pause gives the client time to read the first event: a RST may discard unread bytes
        RecordingListener listener = openAi.run(MockResponse.sse(body).splitAt(firstEvent).pace(Duration.ofMillis(300))
                .resetAfter(firstEvent));

        ProviderFailure failure = onlyFailure(listener);
        assertEquals(Kind.TRUNCATED, failure.kind());
        assertEquals("first", listener.contentText());
    }

    @Test
    void stream_http401EchoingKey_httpStatusWithoutKey() throws InterruptedException {
        RecordingListener listener = openAi.run(MockResponse.status(401).header("Content-Type", "application/json")
                .body("{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + ". Header was Bearer " + KEY + "\"}}")
                .contentLength());

        ProviderFailure failure = onlyFailure(listener);
        assertEquals(Kind.HTTP_STATUS, failure.kind());
        assertEquals(401, failure.httpStatus());
        assertEquals("upstream returned HTTP 401: Incorrect API key provided: [redacted]. Header was Bearer [redacted]",
                failure.message());
        assertFalse(failure.retryable());
    }

    @Test
    void stream_http429WithRetryAfter_retryAfterParsed() throws InterruptedException {
        RecordingListener listener = openAi.run(MockResponse.status(429).header("Retry-After", "7")
                .body("{\"error\":{\"message\":\"Rate limit reached\"}}"));

        ProviderFailure failure = onlyFailure(listener);
        assertEquals(Kind.HTTP_STATUS, failure.kind());
        assertEquals(429, failure.httpStatus());
        assertEquals(Optional.of(Duration.ofSeconds(7)), failure.retryAfter());
        assertEquals("upstream returned HTTP 429: Rate limit reached", failure.message());
        assertTrue(failure.retryable());
    }

    @Test
    void stream_http500PlainText_firstLine() throws InterruptedException {
        ProviderFailure failure = onlyFailure(openAi.run(MockResponse.status(500).body("Internal error\ntrace line").closeDelimited()));

        assertEquals(500, failure.httpStatus());
        assertEquals("upstream returned HTTP 500: Internal error", failure.message());
        assertEquals(Optional.empty(), failure.retryAfter());
    }

    @Test
    void stream_http502HtmlPage_htmlSentence() throws InterruptedException {
        ProviderFailure failure = onlyFailure(openAi.run(MockResponse.status(502).header("Content-Type", "text/html")
                .body("<html><head><title>502 Bad Gateway</title></head><body>nginx " + KEY + "</body></html>")));

        assertEquals(502, failure.httpStatus());
        assertEquals("upstream returned an HTML error page (HTTP 502)", failure.message());
    }

    @Test
    void stream_hugeErrorBody_readsOnlyTheStart() throws InterruptedException {
        String body = "{\"error\":{\"message\":\"big\"}}" + " ".repeat(5 * 1024 * 1024);

        ProviderFailure failure = onlyFailure(openAi.run(MockResponse.status(500).body(body)));

        assertEquals("upstream returned HTTP 500: big", failure.message());
    }

    @Test
    void stream_connectionRefused_connect() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        RecordingListener listener = new RecordingListener();

        openAi.provider(URI.create("http://127.0.0.1:" + closedPort + "/v1"), Duration.ofSeconds(10)).stream(request(), listener);

        ProviderFailure failure = onlyFailure(listener.awaitTerminal(WAIT));
        assertEquals(Kind.CONNECT, failure.kind());
        assertEquals("could not connect to upstream: connection refused or unreachable", failure.message());
        assertTrue(failure.retryable());
    }

    @Test
    void stream_upstreamClosesWithoutAnswering_connectFailureRetryable() throws InterruptedException {
        ProviderFailure failure = onlyFailure(openAi.run(MockResponse.disconnect()));

        assertEquals(Kind.CONNECT, failure.kind());
        assertEquals("upstream closed the connection before answering", failure.message());
        assertTrue(failure.retryable());
    }

    @Test
    void stream_toolArgumentsNotJson_malformedNamingTool() throws InterruptedException {
        String body = OpenAiStream.create("m").toolCallStart(0, "c1", "get_weather")
                .toolCallArguments(0, "{\"city\":").finish("tool_calls").done().build();

        ProviderFailure failure = onlyFailure(openAi.run(MockResponse.sse(body)));

        assertEquals(Kind.MALFORMED, failure.kind());
        assertEquals("upstream sent tool call 'get_weather' with arguments that are not valid JSON", failure.message());
    }

    @Test
    void stream_frameNotJson_malformed() throws InterruptedException {
        RecordingListener listener = openAi.run(MockResponse.sse("data: {\"choices\":[\n\n"));

        assertEquals(Kind.MALFORMED, onlyFailure(listener).kind());
    }

    @Test
    void stream_fiveMegabyteLine_malformedOverCap() throws InterruptedException {
        String body = "data: {\"x\":\"" + "a".repeat(5 * 1024 * 1024) + "\"}\n\n";

        ProviderFailure failure = onlyFailure(openAi.run(MockResponse.sse(body).splitEvery(64 * 1024)));

        assertEquals(Kind.MALFORMED, failure.kind());
        assertEquals("upstream sent a frame over 1 MiB", failure.message());
    }

    @Test
    void stream_finishReasonThenBodyEnds_completeWithToolCallsFlushed() throws InterruptedException {
        String body = OpenAiStream.create("m").toolCallStart(0, "c1", "f").toolCallArguments(0, "{}").finish("tool_calls").build();

        RecordingListener listener = openAi.run(MockResponse.sse(body).closeDelimited());

        assertTrue(listener.completed());
        assertEquals(List.of(new Chunk.ToolCall("c1", "f", "{}"), new Chunk.Finish("tool_calls")), listener.deltas());
    }
}
