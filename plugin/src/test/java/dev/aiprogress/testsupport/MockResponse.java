package dev.aiprogress.testsupport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link MockUpstream} answers to one request, and how it delivers the bytes. Fluent and
 * mutable until enqueued.
 *
 * <pre>{@code
 * MockResponse.sse(OpenAiStream.create("m").content("Hi").finish("stop").done().build())
 *         .splitEvery(1)              // byte by byte, one flush each
 *         .pace(Duration.ofMillis(1)) // pause between pieces
 *         .stallAfter(3);             // then send nothing more until the client leaves
 * MockResponse.status(429).header("Retry-After", "7").body("{\"error\":{\"message\":\"slow down\"}}");
 * }</pre>
 */
public final class MockResponse {

    /** How the end of the body is marked. */
    public enum BodyFraming {
        /** {@code Transfer-Encoding: chunked}, one HTTP chunk per piece (the default, like real SSE servers). */
        CHUNKED,
        /** {@code Content-Length}; the connection stays open for the next request. */
        CONTENT_LENGTH,
        /** {@code Connection: close}; the body ends when the socket closes. */
        CLOSE_DELIMITED
    }

    int status;
    final Map<String, String> headers = new LinkedHashMap<>();
    byte[] body = new byte[0];
    int splitEvery;
    int[] splitAt = new int[0];
    Duration pace = Duration.ZERO;
    Duration headersDelay = Duration.ZERO;
    int stallAfterPieces = -1;
    int truncateAfterBytes = -1;
    int resetAfterBytes = -1;
    BodyFraming framing = BodyFraming.CHUNKED;
    boolean closeWithoutAnswer;
    /** When set, pieces are made at send time (benchmarks stamp them); {@link #body} is unused. */
    java.util.function.IntFunction<byte[]> generator;
    int generatedPieces;

    private MockResponse(int status) {
        this.status = status;
    }

    public static MockResponse status(int status) {
        return new MockResponse(status);
    }

    /** No answer at all: the connection is closed right after the request was read. */
    public static MockResponse disconnect() {
        MockResponse response = new MockResponse(0);
        response.closeWithoutAnswer = true;
        return response;
    }

    /** 200 with {@code Content-Type: text/event-stream} and this body. */
    public static MockResponse sse(String body) {
        return new MockResponse(200).header("Content-Type", "text/event-stream").body(body);
    }

    /** 200 with {@code Content-Type: application/x-ndjson} and this body. */
    public static MockResponse ndjson(String body) {
        return new MockResponse(200).header("Content-Type", "application/x-ndjson").body(body);
    }

    /**
     * A body of {@code count} pieces, each made by {@code piece.apply(i)} just before it is written
     * (so a benchmark can stamp a sequence number and {@code System.nanoTime()} into it). Works with
     * {@link #pace}, {@link #stallAfter} and the chunked or close-delimited framings.
     */
    public MockResponse generated(int count, java.util.function.IntFunction<byte[]> piece) {
        generatedPieces = count;
        generator = Objects.requireNonNull(piece);
        return this;
    }

    /** A response header; {@code Content-Length}/{@code Transfer-Encoding} come from the framing. */
    public MockResponse header(String name, String value) {
        headers.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
        return this;
    }

    public MockResponse body(String text) {
        return body(text.getBytes(StandardCharsets.UTF_8));
    }

    public MockResponse body(byte[] bytes) {
        body = bytes.clone();
        return this;
    }

    /** Send the body in pieces of {@code n} bytes, each flushed on its own ({@code 1} = byte by byte). */
    public MockResponse splitEvery(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be positive");
        }
        splitEvery = n;
        return this;
    }

    /** Send the body in pieces cut at these byte offsets. */
    public MockResponse splitAt(int... offsets) {
        splitAt = offsets.clone();
        return this;
    }

    /** Pause between pieces. */
    public MockResponse pace(Duration pause) {
        pace = Objects.requireNonNull(pause);
        return this;
    }

    /** Wait before the status line (a slow start: time to headers). */
    public MockResponse delayHeaders(Duration delay) {
        headersDelay = Objects.requireNonNull(delay);
        return this;
    }

    /** After {@code pieces} pieces send nothing more and keep the connection open until the client closes it. */
    public MockResponse stallAfter(int pieces) {
        stallAfterPieces = pieces;
        return this;
    }

    /** Close the connection after {@code bytes} body bytes, without the body's end (no chunked terminator). */
    public MockResponse truncateAfter(int bytes) {
        truncateAfterBytes = bytes;
        return this;
    }

    /** Reset the connection (SO_LINGER 0, then close: a TCP RST) after {@code bytes} body bytes. */
    public MockResponse resetAfter(int bytes) {
        resetAfterBytes = bytes;
        return this;
    }

    public MockResponse framing(BodyFraming newFraming) {
        framing = Objects.requireNonNull(newFraming);
        return this;
    }

    public MockResponse closeDelimited() {
        return framing(BodyFraming.CLOSE_DELIMITED);
    }

    public MockResponse contentLength() {
        return framing(BodyFraming.CONTENT_LENGTH);
    }

    /** The body cut into the pieces to send. */
    List<byte[]> pieces() {
        List<Integer> cuts = new ArrayList<>();
        if (splitEvery > 0) {
            for (int i = splitEvery; i < body.length; i += splitEvery) {
                cuts.add(i);
            }
        } else {
            for (int offset : splitAt) {
                if (offset > 0 && offset < body.length && (cuts.isEmpty() || offset > cuts.get(cuts.size() - 1))) {
                    cuts.add(offset);
                }
            }
        }
        List<byte[]> pieces = new ArrayList<>();
        int start = 0;
        for (int cut : cuts) {
            pieces.add(java.util.Arrays.copyOfRange(body, start, cut));
            start = cut;
        }
        if (start < body.length || pieces.isEmpty()) {
            pieces.add(java.util.Arrays.copyOfRange(body, start, body.length));
        }
        return pieces;
    }
}
