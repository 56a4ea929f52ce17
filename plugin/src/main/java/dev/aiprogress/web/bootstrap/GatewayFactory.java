package dev.aiprogress.web.bootstrap;

import dev.aiprogress.gateway.ConfiguredProvider;
import dev.aiprogress.gateway.Gateway;
import dev.aiprogress.metrics.PluginMetrics;
import dev.aiprogress.provider.ProviderContext;
import dev.aiprogress.provider.ProviderSettings;
import dev.aiprogress.provider.catalog.DialectCatalog;
import dev.aiprogress.provider.scripted.TestStreamProvider;
import dev.aiprogress.realtime.EventPublisher;
import dev.aiprogress.web.config.Config;
import dev.aiprogress.web.http.WebJson;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Builds the gateway from configuration: one provider per configured name, plus the seed's test stream. */
final class GatewayFactory {

    private GatewayFactory() {
    }

    static Gateway create(Config config, PluginRuntime runtime, EventPublisher publisher, PluginMetrics metrics) {
        ProviderContext context = new ProviderContext(runtime.upstream(), WebJson.PROVIDER, runtime.scheduler(),
                metrics);
        List<ConfiguredProvider> providers = new ArrayList<>();
        for (ProviderSettings settings : config.providers()) {
            providers.add(new ConfiguredProvider(DialectCatalog.create(settings, context), settings));
        }
        // reachable only by name from the test endpoint: it is not in the fallback order
        providers.add(new ConfiguredProvider(new TestStreamProvider(runtime.scheduler(), config.http().testStreamStep()),
                ProviderSettings.of(TestStreamProvider.NAME, "scripted", URI.create("scripted:test-stream"),
                        TestStreamProvider.NAME)));
        Gateway gateway = new Gateway(config.gateway(), providers, runtime.taskScheduler(), publisher, metrics);
        // finished-task records leave on a timer, not on the next request (a quiet server keeps nothing)
        long every = gateway.tasks().pruneEvery().toMillis();
        ScheduledFuture<?> prune = runtime.scheduler().scheduleWithFixedDelay(gateway.tasks()::prune, every, every,
                TimeUnit.MILLISECONDS);
        runtime.closeOnShutdown(() -> prune.cancel(false));
        return gateway;
    }
}
