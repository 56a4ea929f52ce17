package dev.aiprogress.provider.openai;

import dev.aiprogress.provider.ChatMessage;
import dev.aiprogress.provider.ChatRequest;
import dev.aiprogress.provider.ProviderFailure;
import dev.aiprogress.provider.ProviderSettings;
import dev.aiprogress.provider.sse.HttpStreamProvider;
import dev.aiprogress.testsupport.MockResponse;
import dev.aiprogress.testsupport.RecordingListener;
import dev.aiprogress.testsupport.StreamHarness;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The OpenAI provider the failure and cancellation suites drive: a configured key (so messages
 * can be checked to be free of it), a 2 s connect timeout and an idle timeout per test.
 */
final class KeyedOpenAi {

    static final String KEY = "sk-test-SECRET-0123456789";

    private final StreamHarness harness;

    KeyedOpenAi(StreamHarness harness) {
        this.harness = harness;
    }

    HttpStreamProvider provider(URI base, Duration idleTimeout) {
        return harness.provider(ProviderSettings.of("openai", "openai", base, "gpt-test")
                .withApiKey(KEY).withTimeouts(Duration.ofSeconds(2), idleTimeout));
    }

    static ChatRequest request() {
        return ChatRequest.of("gpt-test", List.of(ChatMessage.of(ChatMessage.Role.USER, "hi")));
    }

    /** Serves {@code response} to one stream with a 10 s idle timeout and waits for its terminal call. */
    RecordingListener run(MockResponse response) throws InterruptedException {
        harness.upstream().enqueue(response);
        RecordingListener listener = new RecordingListener();
        provider(harness.upstream().baseUrl(), Duration.ofSeconds(10)).stream(request(), listener);
        return listener.awaitTerminal(StreamHarness.WAIT);
    }

    static ProviderFailure onlyFailure(RecordingListener listener) {
        return StreamHarness.onlyFailure(listener, KEY);
    }
}
