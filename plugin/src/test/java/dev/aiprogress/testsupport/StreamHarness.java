package dev.aiprogress.testsupport;

import dev.aiprogress.provider.ChatRequest;
import dev.aiprogress.provider.ProviderFailure;
import dev.aiprogress.provider.ProviderSettings;
import dev.aiprogress.provider.StreamHandle;
import dev.aiprogress.provider.WireDialect;
import dev.aiprogress.provider.sse.HttpStreamProvider;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One dialect end to end: a {@link MockUpstream}, a real {@link ProviderTestContext} and
 * {@link HttpStreamProvider}s for the dialect, with the assertions every end-to-end test repeats.
 * A JUnit extension: a fresh upstream and context per test.
 *
 * <pre>{@code
 * @RegisterExtension
 * final StreamHarness harness = StreamHarness.of(new AnthropicDialect());
 * ...
 * RecordingListener listener = harness.run(harness.settings("claude-x"), request, MockResponse.sse(body));
 * }</pre>
 */
public final class StreamHarness implements BeforeEachCallback, AfterEachCallback {

    public static final Duration WAIT = Duration.ofSeconds(5);

    private final WireDialect dialect;
    private MockUpstream upstream;
    private ProviderTestContext runtime;

    private StreamHarness(WireDialect dialect) {
        this.dialect = dialect;
    }

    public static StreamHarness of(WireDialect dialect) {
        return new StreamHarness(dialect);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        upstream = MockUpstream.start();
        runtime = new ProviderTestContext();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        runtime.close();
        upstream.close();
    }

    public MockUpstream upstream() {
        return upstream;
    }

    /** Settings for this dialect pointing at the mock, with this default model. */
    public ProviderSettings settings(String model) {
        return ProviderSettings.of(dialect.name(), dialect.name(), upstream.baseUrl(), model);
    }

    public HttpStreamProvider provider(ProviderSettings settings) {
        return new HttpStreamProvider(settings, dialect, runtime.context());
    }

    /** Starts the stream without waiting. */
    public StreamHandle start(ProviderSettings settings, ChatRequest request, RecordingListener listener) {
        return provider(settings).stream(request, listener);
    }

    /** Serves {@code response} to one stream and waits for its terminal call. */
    public RecordingListener run(ProviderSettings settings, ChatRequest request, MockResponse response)
            throws InterruptedException {
        upstream.enqueue(response);
        RecordingListener listener = new RecordingListener();
        start(settings, request, listener);
        return listener.awaitTerminal(WAIT);
    }

    /**
     * Starts a stream, waits for {@code deltasFirst} deltas, cancels it twice and waits for the
     * terminal call. Serve a response that stalls after those deltas.
     */
    public RecordingListener cancelAfter(int deltasFirst, ProviderSettings settings, ChatRequest request,
                                         MockResponse response) throws InterruptedException {
        upstream.enqueue(response);
        RecordingListener listener = new RecordingListener();
        StreamHandle handle = start(settings, request, listener);
        awaitDeltas(listener, deltasFirst);
        handle.cancel();
        handle.cancel();
        return listener.awaitTerminal(WAIT);
    }

    public static void assertCleanCompletion(RecordingListener listener) {
        assertTrue(listener.completed(), () -> "failed: " + listener.failure());
        assertSerialSingleTerminal(listener);
    }

    /** The only terminal call was a failure; its message does not hold {@code secret}. */
    public static ProviderFailure onlyFailure(RecordingListener listener, String secret) {
        ProviderFailure failure = listener.requireFailure();
        assertSerialSingleTerminal(listener);
        assertFalse(failure.message().contains(secret), failure.message());
        return failure;
    }

    /** Waits until {@code count} deltas have arrived. */
    public static void awaitDeltas(RecordingListener listener, int count) throws InterruptedException {
        Await.until(WAIT, () -> listener.deltas().size() >= count,
                () -> "fewer than " + count + " deltas: " + listener.deltas());
    }

    private static void assertSerialSingleTerminal(RecordingListener listener) {
        assertEquals(1, listener.terminalCalls());
        assertEquals(0, listener.callsAfterTerminal());
        assertEquals(0, listener.overlappingCalls());
    }
}
