package dev.aiprogress.testsupport;

import dev.aiprogress.provider.ProviderContext;
import dev.aiprogress.provider.sse.UpstreamHttp;

import jakarta.json.spi.JsonProvider;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A real {@link ProviderContext} for tests: the production HTTP client factory, Parsson, a
 * scheduler; all shut down on close.
 */
public final class ProviderTestContext implements AutoCloseable {

    private final ExecutorService executor = Executors.newCachedThreadPool(daemon("test-http"));
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(daemon("test-timer"));
    private final ProviderContext context = new ProviderContext(
            UpstreamHttp.newClient(Duration.ofSeconds(2), executor), JsonProvider.provider(), scheduler);

    public ProviderContext context() {
        return context;
    }

    public JsonProvider json() {
        return context.json();
    }

    @Override
    public void close() {
        executor.shutdownNow();
        scheduler.shutdownNow();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
