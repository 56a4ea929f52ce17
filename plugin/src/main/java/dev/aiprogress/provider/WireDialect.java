package dev.aiprogress.provider;

import jakarta.json.spi.JsonProvider;

/**
 * One upstream dialect's wire knowledge, with no I/O: how to build the HTTP request and how to read
 * the frames of its streaming body. The shared transport ({@code provider/sse}) does the HTTP,
 * byte decoding, framing, timeouts and cancellation, so each dialect is only this.
 */
public interface WireDialect {

    /** {@code openai}, {@code anthropic}, {@code gemini}, {@code ollama}. */
    String name();

    /** How the streaming body is framed. */
    Framing framing();

    enum Framing { SSE, NDJSON }

    /** The HTTP request for one streaming call: path appended to the base URL, headers (incl. auth), JSON body. */
    UpstreamCall call(ChatRequest request, ProviderSettings settings, JsonProvider json);

    /** Fresh per-stream parser state. */
    FrameParser newParser(ChatRequest request, JsonProvider json);

    /**
     * A short, key-free sentence for a non-2xx reply, from at most the first few KiB of its body
     * (JSON error objects, HTML pages, plain text). The transport removes the API key from it again.
     */
    String describeHttpError(int status, String bodyStart, JsonProvider json);
}
