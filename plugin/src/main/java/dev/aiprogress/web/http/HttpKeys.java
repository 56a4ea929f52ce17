package dev.aiprogress.web.http;

import dev.aiprogress.config.ConfigValues;
import dev.aiprogress.config.Key;

import java.time.Duration;
import java.util.List;

/** The configuration keys of the HTTP endpoints, each declared once, and how they become {@link HttpOptions}. */
public final class HttpKeys {

    public static final Key<String> CHAT_PATH = Key.text("ai-progress.chat.path",
            "/api/method/ai_assistant.api.chat_completion", "path of the chat endpoint")
            .requiring(path -> path.startsWith("/") && !path.contains("*"),
                    path -> "'" + path + "' must start with / and hold no wildcard");
    public static final Key<Duration> ASYNC_TIMEOUT = Key.positiveDuration("ai-progress.async-timeout",
            Duration.ofMinutes(30), "servlet async timeout of a chat request");
    public static final Key<Duration> HEARTBEAT = Key.positiveDuration("ai-progress.http.heartbeat",
            Duration.ofSeconds(5), "idle heartbeat of chat replies; how a vanished client is noticed");
    public static final Key<Duration> TEST_STREAM_STEP = Key.positiveDuration("ai-progress.test-stream.step",
            Duration.ofSeconds(1), "pause between test_reasoning_stream steps");
    public static final Key<Duration> BODY_TIMEOUT = Key.positiveDuration("ai-progress.http.body-timeout",
            Duration.ofSeconds(20), "a whole request body must arrive within it, else 408");
    public static final Key<Integer> MAX_BUFFERED_BYTES = Key.integer("ai-progress.http.max-buffered-bytes",
            1 << 20, 1024, Integer.MAX_VALUE, "per SSE reply: bytes that may wait for a client that stopped reading");
    public static final Key<Integer> MAX_BODY_BYTES = Key.integer("ai-progress.limits.max-body-bytes",
            1 << 20, 1024, Integer.MAX_VALUE, "request body limit (413 beyond)");
    public static final Key<Integer> MAX_MESSAGES = Key.integer("ai-progress.limits.max-messages",
            500, 1, 100_000, "messages per request (413 beyond)");
    public static final Key<Integer> MAX_CONTENT_CHARS = Key.integer("ai-progress.limits.max-content-chars",
            200_000, 1, Integer.MAX_VALUE, "characters per message (413 beyond)");
    public static final Key<Integer> MAX_TOKENS = Key.integer("ai-progress.limits.max-tokens",
            131_072, 1, Integer.MAX_VALUE, "max_tokens upper bound (400 beyond)");

    public static final List<Key<?>> ALL = List.of(CHAT_PATH, ASYNC_TIMEOUT, HEARTBEAT, TEST_STREAM_STEP,
            BODY_TIMEOUT, MAX_BUFFERED_BYTES, MAX_BODY_BYTES, MAX_MESSAGES, MAX_CONTENT_CHARS, MAX_TOKENS);

    private HttpKeys() {
    }

    public static HttpOptions read(ConfigValues values) {
        return new HttpOptions(values.get(CHAT_PATH), values.get(ASYNC_TIMEOUT), values.get(HEARTBEAT),
                values.get(TEST_STREAM_STEP), values.get(BODY_TIMEOUT), values.get(MAX_BUFFERED_BYTES),
                new HttpOptions.RequestLimits(values.get(MAX_BODY_BYTES), values.get(MAX_MESSAGES),
                        values.get(MAX_CONTENT_CHARS), values.get(MAX_TOKENS)));
    }
}
