package dev.aiprogress.testsupport;

import dev.aiprogress.provider.ChatRequest;
import dev.aiprogress.provider.ProviderFailure;
import dev.aiprogress.provider.ProviderSettings;
import dev.aiprogress.provider.StreamHandle;
import dev.aiprogress.provider.WireDialect;
import dev.aiprogress.provider.sse.HttpStreamProvider;

import java.io.IOException;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One dialect end to end: a {@link MockUpstream}, a real {@link ProviderTestContext} and an
 * {@link HttpStreamProvider} for the dialect, with the assertions every end-to-end test repeats.
 * Open it in {@code @BeforeEach}, close it in {@code @AfterEach}.
 */
public final class StreamHarness implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(5);

    private final MockUpstream upstream;
    private final ProviderTestContext runtime = new ProviderTestContext();
    private final WireDialect dialect;

    private StreamHarness(MockUpstream upstream, WireDialect dialect) {
        this.upstream = upstream;
        this.dialect = dialect;
    }

    public static StreamHarness start(WireDialect dialect) throws IOException {
        return new StreamHarness(MockUpstream.start(), dialect);
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

    @Override
    public void close() {
        runtime.close();
        upstream.close();
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
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (listener.deltas().size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("fewer than " + count + " deltas: " + listener.deltas());
            }
            Thread.sleep(5);
        }
    }

    private static void assertSerialSingleTerminal(RecordingListener listener) {
        assertEquals(1, listener.terminalCalls());
        assertEquals(0, listener.callsAfterTerminal());
        assertEquals(0, listener.overlappingCalls());
    }
}
