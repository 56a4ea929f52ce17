package dev.aiprogress.provider;

import jakarta.json.spi.JsonProvider;

import java.net.http.HttpClient;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What every provider shares within one runtime: one HTTP client (HTTP/1.1, so a cancel is a
 * closed connection), one JSON-P provider, one scheduler for timeouts and pacing. Whoever creates
 * the context owns and closes these.
 */
public record ProviderContext(HttpClient httpClient, JsonProvider json, ScheduledExecutorService scheduler) {
    public ProviderContext {
        Objects.requireNonNull(httpClient, "httpClient");
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(scheduler, "scheduler");
    }
}
