package dev.aiprogress.web.http;

import java.time.Duration;
import java.util.Objects;

/**
 * How the HTTP endpoints behave. Read from configuration by {@link HttpKeys}.
 *
 * @param chatPath         path of the chat endpoint
 * @param asyncTimeout     servlet async timeout of a chat request
 * @param heartbeat        while a reply is idle, one JSON-legal space (or an SSE comment) is written
 *                         this often: a container notices a vanished client only when it writes
 * @param testStreamStep   the pause between the reasoning steps of {@code test_reasoning_stream}
 * @param bodyTimeout      a whole request body must arrive within it (else 408)
 * @param maxBufferedBytes SSE bytes that may wait for a client that stopped reading
 */
public record HttpOptions(String chatPath, Duration asyncTimeout, Duration heartbeat, Duration testStreamStep,
                          Duration bodyTimeout, int maxBufferedBytes, RequestLimits limits) {

    public HttpOptions {
        Objects.requireNonNull(chatPath, "chatPath");
        Objects.requireNonNull(asyncTimeout, "asyncTimeout");
        Objects.requireNonNull(heartbeat, "heartbeat");
        Objects.requireNonNull(testStreamStep, "testStreamStep");
        Objects.requireNonNull(bodyTimeout, "bodyTimeout");
        Objects.requireNonNull(limits, "limits");
    }

    /**
     * What one request may ask for.
     *
     * @param maxContentChars longest content of one message, in chars (text parts summed)
     * @param maxTokens       the highest {@code max_tokens} a request may ask for
     */
    public record RequestLimits(int maxBodyBytes, int maxMessages, int maxContentChars, int maxTokens) {
    }
}
