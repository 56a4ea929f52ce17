package dev.aiprogress.provider.sse;

import dev.aiprogress.provider.ChatMessage;
import dev.aiprogress.provider.ChatRequest;
import dev.aiprogress.provider.FrameParser;
import dev.aiprogress.provider.ProviderFailure;
import dev.aiprogress.provider.ProviderSettings;
import dev.aiprogress.provider.StreamListener;
import dev.aiprogress.provider.UpstreamCall;
import dev.aiprogress.provider.WireDialect;
import dev.aiprogress.stream.Chunk;
import dev.aiprogress.stream.Delta;
import dev.aiprogress.testsupport.MockResponse;
import dev.aiprogress.testsupport.MockUpstream;
import dev.aiprogress.testsupport.ProviderTestContext;
import dev.aiprogress.testsupport.RecordedRequest;
import dev.aiprogress.testsupport.RecordingListener;

import jakarta.json.JsonObject;
import jakarta.json.spi.JsonProvider;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The transport with an NDJSON dialect written here (a small real {@link WireDialect}, shaped like
 * Ollama's), so framing and end-of-body rules are covered independently of the OpenAI dialect.
 */
class HttpStreamProviderTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    /** {"text":"..."} lines; {"done":true} ends; {"error":"..."} fails. */
    private static final class LineDialect implements WireDialect {
        @Override
        public String name() {
            return "lines";
        }

        @Override
        public Framing framing() {
            return Framing.NDJSON;
        }

        @Override
        public UpstreamCall call(ChatRequest request, ProviderSettings settings, JsonProvider json) {
            return new UpstreamCall("/api/chat?x=1", Map.of("X-Test", "yes"), "{\"model\":\"" + request.model() + "\"}");
        }

        @Override
        public FrameParser newParser(ChatRequest request, JsonProvider json) {
            return new FrameParser() {
                @Override
                public Result onFrame(String event, String data, Consumer<Delta> out) throws StreamFailure {
                    JsonObject line = json.createReader(new StringReader(data)).readObject();
                    if (line.containsKey("error")) {
                        throw new StreamFailure(ProviderFailure.of(ProviderFailure.Kind.UPSTREAM_ERROR, line.getString("error")));
                    }
                    if (line.getBoolean("done", false)) {
                        out.accept(new Chunk.Finish("stop"));
                        return Result.END;
                    }
                    out.accept(Delta.content(line.getString("text")));
                    return Result.CONTINUE;
                }

                @Override
                public void onEndOfBody(Consumer<Delta> out) throws StreamFailure {
                    throw new StreamFailure(ProviderFailure.of(ProviderFailure.Kind.TRUNCATED, "no done line"));
                }
            };
        }

        @Override
        public String describeHttpError(int status, String bodyStart, JsonProvider json) {
            return HttpErrorText.describe(status, bodyStart, json);
        }
    }

    private MockUpstream upstream;
    private ProviderTestContext runtime;
    private HttpStreamProvider provider;

    @BeforeEach
    void start() throws IOException {
        upstream = MockUpstream.start();
        runtime = new ProviderTestContext();
        provider = new HttpStreamProvider(ProviderSettings.of("local", "lines", URI.create(upstream.baseUrl() + "/"), "m"),
                new LineDialect(), runtime.context());
    }

    @AfterEach
    void stop() {
        runtime.close();
        upstream.close();
    }

    private RecordingListener run(MockResponse response) throws InterruptedException {
        upstream.enqueue(response);
        RecordingListener listener = new RecordingListener();
        provider.stream(ChatRequest.of("m", List.of(ChatMessage.of(ChatMessage.Role.USER, "hi"))), listener);
        return listener.awaitTerminal(WAIT);
    }

    @Test
    void stream_ndjsonLinesByteByByte_deltasAndRequestShape() throws InterruptedException {
        RecordingListener listener = run(MockResponse.ndjson("{\"text\":\"é😀\"}\r\n\n{\"text\":\"b\"}\n{\"done\":true}\n").splitEvery(1));

        assertTrue(listener.completed());
        assertEquals(List.of(Delta.content("é😀"), Delta.content("b"), new Chunk.Finish("stop")), listener.deltas());
        RecordedRequest sent = upstream.takeRequest(WAIT);
        assertEquals("/api/chat?x=1", sent.target());
        assertEquals(Optional.of("application/x-ndjson"), sent.header("Accept"));
        assertEquals(Optional.of("yes"), sent.header("X-Test"));
        assertEquals("{\"model\":\"m\"}", sent.body());
    }

    @Test
    void stream_lastLineWithoutNewline_stillParsed() throws InterruptedException {
        RecordingListener listener = run(MockResponse.ndjson("{\"text\":\"a\"}\n{\"done\":true}").closeDelimited());

        assertTrue(listener.completed());
        assertEquals(2, listener.deltas().size());
    }

    @Test
    void stream_bodyEndsWithoutDone_parserDecidesTruncated() throws InterruptedException {
        RecordingListener listener = run(MockResponse.ndjson("{\"text\":\"a\"}\n"));

        assertEquals(ProviderFailure.of(ProviderFailure.Kind.TRUNCATED, "no done line"), listener.requireFailure());
        assertEquals(1, listener.terminalCalls());
    }

    @Test
    void stream_errorLine_upstreamErrorOnce() throws InterruptedException {
        RecordingListener listener = run(MockResponse.ndjson("{\"text\":\"a\"}\n{\"error\":\"model died\"}\n{\"text\":\"b\"}\n"));

        assertEquals(ProviderFailure.of(ProviderFailure.Kind.UPSTREAM_ERROR, "model died"), listener.requireFailure());
        assertEquals(List.of(Delta.content("a")), listener.deltas());
    }

    @Test
    void stream_lineNotJson_malformed() throws InterruptedException {
        RecordingListener listener = run(MockResponse.ndjson("not json\n"));

        assertEquals(ProviderFailure.of(ProviderFailure.Kind.MALFORMED, "upstream sent a frame that is not valid JSON"),
                listener.requireFailure());
    }

    @Test
    void stream_endMarkerThenMoreBytes_completesOnceIgnoringRest() throws InterruptedException {
        RecordingListener listener = run(MockResponse.ndjson("{\"done\":true}\n{\"text\":\"late\"}\n{\"error\":\"x\"}\n"));

        assertTrue(listener.completed());
        assertEquals(List.of(new Chunk.Finish("stop")), listener.deltas());
        assertEquals(0, listener.callsAfterTerminal());
    }

    @Test
    void stream_listenerThrowsInOnDelta_internalFailureOnceAndUpstreamClosed() throws InterruptedException {
        upstream.enqueue(MockResponse.ndjson("{\"text\":\"a\"}\n{\"text\":\"b\"}\n").stallAfter(1));
        RecordingListener recorder = new RecordingListener();
        StreamListener throwing = recorder.thenOnDelta(delta -> {
            throw new IllegalStateException("bug in the listener");
        });

        provider.stream(ChatRequest.of("m", List.of(ChatMessage.of(ChatMessage.Role.USER, "hi"))), throwing);

        recorder.awaitTerminal(WAIT);
        assertEquals(ProviderFailure.of(ProviderFailure.Kind.INTERNAL, "internal error while handling the stream"),
                recorder.requireFailure());
        assertEquals(1, recorder.terminalCalls());
        assertEquals(0, recorder.callsAfterTerminal());
        assertEquals(List.of(Delta.content("a")), recorder.deltas());
        assertTrue(upstream.awaitClientDisconnect(WAIT));
    }

    @Test
    void target_baseWithTrailingSlashes_singleSlash() {
        assertEquals(URI.create("https://api.deepseek.com/chat/completions"),
                HttpStreamProvider.target(URI.create("https://api.deepseek.com//"), "/chat/completions"));
        assertEquals(URI.create("https://api.openai.com/v1/chat/completions"),
                HttpStreamProvider.target(URI.create("https://api.openai.com/v1"), "chat/completions"));
    }
}
