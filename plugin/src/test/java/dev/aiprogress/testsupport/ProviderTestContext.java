package dev.aiprogress.testsupport;

import dev.aiprogress.provider.ProviderContext;
import dev.aiprogress.provider.http.UpstreamClient;

import jakarta.json.spi.JsonProvider;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A real {@link ProviderContext} for tests: the production upstream client, Parsson, a scheduler;
 * all shut down on close.
 */
public final class ProviderTestContext implements AutoCloseable {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(daemon("test-timer"));
    private final UpstreamClient upstream = new UpstreamClient(
            UpstreamClient.Options.defaults(Duration.ofSeconds(2), 1), scheduler);
    private final ProviderContext context = new ProviderContext(upstream, JsonProvider.provider(), scheduler);

    public ProviderContext context() {
        return context;
    }

    public JsonProvider json() {
        return context.json();
    }

    @Override
    public void close() {
        upstream.close();
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
