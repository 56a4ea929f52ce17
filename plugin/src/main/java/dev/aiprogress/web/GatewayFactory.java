package dev.aiprogress.web;

import dev.aiprogress.gateway.ConfiguredProvider;
import dev.aiprogress.gateway.Gateway;
import dev.aiprogress.gateway.GatewayOptions;
import dev.aiprogress.metrics.PluginMetrics;
import dev.aiprogress.provider.ChatProviders;
import dev.aiprogress.provider.ProviderContext;
import dev.aiprogress.provider.ProviderSettings;
import dev.aiprogress.provider.scripted.TestStreamProvider;
import dev.aiprogress.realtime.EventPublisher;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Builds the gateway from configuration: one provider per configured name, plus the seed's test stream. */
final class GatewayFactory {

    /** Retries stop doubling here; a {@code Retry-After} beyond the cap gives the provider up. */
    static final Duration MAX_BACKOFF = Duration.ofSeconds(8);
    static final Duration RETRY_AFTER_CAP = Duration.ofSeconds(30);
    static final double JITTER = 0.2;

    private GatewayFactory() {
    }

    static Gateway create(Config config, PluginRuntime runtime, EventPublisher publisher) {
        return create(config, runtime, publisher, PluginMetrics.NONE);
    }

    static Gateway create(Config config, PluginRuntime runtime, EventPublisher publisher, PluginMetrics metrics) {
        ProviderContext context = new ProviderContext(runtime.upstream(), WebJson.PROVIDER, runtime.scheduler(),
                metrics);
        List<ConfiguredProvider> providers = new ArrayList<>();
        for (ProviderSettings settings : config.providers()) {
            providers.add(new ConfiguredProvider(ChatProviders.create(settings, context), settings));
        }
        // reachable only by name from the test endpoint: it is not in the fallback order
        providers.add(new ConfiguredProvider(new TestStreamProvider(runtime.scheduler(), config.http().testStreamStep()),
                ProviderSettings.of(TestStreamProvider.NAME, "scripted", URI.create("scripted:test-stream"),
                        TestStreamProvider.NAME)));
        Config.GatewayOptions gw = config.gateway();
        GatewayOptions options = GatewayOptions.defaults(config.providerNames())
                .withFirstTokenTimeout(gw.firstTokenTimeout())
                .withRetry(new GatewayOptions.Retry(gw.retries() + 1, gw.backoff(), MAX_BACKOFF, RETRY_AFTER_CAP, JITTER))
                .withCompatEvents(config.frappeEvents())
                .withEmit(config.emit())
                .withMaxLivePerUser(config.limits().maxConcurrentPerUser());
        Gateway gateway = new Gateway(options, providers, runtime.taskScheduler(), publisher, metrics);
        // finished-task records leave on a timer, not on the next request (a quiet server keeps nothing)
        long every = gateway.tasks().pruneEvery().toMillis();
        ScheduledFuture<?> prune = runtime.scheduler().scheduleWithFixedDelay(gateway.tasks()::prune, every, every,
                TimeUnit.MILLISECONDS);
        runtime.closeOnShutdown(() -> prune.cancel(false));
        return gateway;
    }
}
