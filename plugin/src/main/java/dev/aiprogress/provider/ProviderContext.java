package dev.aiprogress.provider;

import dev.aiprogress.metrics.PluginMetrics;
import dev.aiprogress.provider.http.UpstreamClient;
import jakarta.json.spi.JsonProvider;

import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What every provider shares within one runtime: one upstream HTTP client (HTTP/1.1, so a cancel is
 * a closed connection), one JSON-P provider, one scheduler for timeouts and pacing. Whoever creates
 * the context owns and closes these. {@code metrics} receives the sampled per-chunk overhead.
 */
public record ProviderContext(UpstreamClient upstream, JsonProvider json, ScheduledExecutorService scheduler,
                              PluginMetrics metrics) {
    public ProviderContext {
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(metrics, "metrics");
    }

    public ProviderContext(UpstreamClient upstream, JsonProvider json, ScheduledExecutorService scheduler) {
        this(upstream, json, scheduler, PluginMetrics.NONE);
    }
}
