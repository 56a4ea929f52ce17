package dev.aiprogress.web.ops;

import dev.aiprogress.metrics.GenerationRecord;
import dev.aiprogress.metrics.PluginMetrics;
import dev.aiprogress.realtime.RealtimeCounters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.function.ToDoubleFunction;

/**
 * The figures recorded into Micrometer: a {@link PrometheusMeterRegistry} the plugin owns (closed on
 * undeploy). Only touched after {@link MetricsBackend} found Micrometer and its Prometheus registry
 * on the classpath, so the plugin loads without them. Names follow Micrometer's conventions and
 * come out in Prometheus as the plugin's own writer names them.
 */
final class MicrometerMetrics implements PluginMetrics, Scrape {

    private static final Duration MIN = Duration.ofNanos(1_000);
    private static final Duration MAX = Duration.ofMinutes(10);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter started;
    private final Counter cancellations;
    private final Counter chunks;
    private final Timer overhead;

    MicrometerMetrics(PluginStats stats) {
        Gauge.builder("ai.progress.generations.active", stats, PluginStats::activeGenerations)
                .description("Generations running now.").register(registry);
        started = Counter.builder("ai.progress.generations.started").description("Generations accepted.").register(registry);
        cancellations = Counter.builder("ai.progress.cancellations").description("Generations cancelled (AIP-017).")
                .register(registry);
        chunks = Counter.builder("ai.progress.chunks").description("Reasoning, text and tool-call deltas received.")
                .register(registry);
        overhead = Timer.builder("ai.progress.chunk.overhead")
                .description("Sampled: upstream buffer read to frame handed to the socket, on the same thread.")
                .publishPercentileHistogram().minimumExpectedValue(MIN).maximumExpectedValue(Duration.ofMillis(50))
                .register(registry);
        RealtimeCounters rt = stats.realtime();
        for (RealtimeCounters.Transport t : RealtimeCounters.Transport.values()) {
            Gauge.builder("ai.progress.sockets.open", rt, c -> c.openSockets(t)).tag("transport", t.label())
                    .description("Realtime sockets open now, by transport.").register(registry);
        }
        functionCounter("ai.progress.events.published", "Events published to the hub.", rt, c -> c.publishedCount());
        functionCounter("ai.progress.events.delivered", "Event frames handed to sockets.", rt, c -> c.deliveredCount());
        functionCounter("ai.progress.delivered.bytes", "UTF-8 bytes of event frames handed to sockets.", rt,
                c -> c.deliveredBytesCount());
        functionCounter("ai.progress.outbox.merges", "Queued deltas merged.", rt, c -> c.mergeCount());
        functionCounter("ai.progress.outbox.overflow.closes", "Slow sockets closed past their outbox bound.", rt,
                c -> c.overflowCloseCount());
        functionCounter("ai.progress.replay.events", "Events queued for a socket from the replay window.", rt,
                c -> c.replayedCount());
    }

    private void functionCounter(String name, String help, RealtimeCounters rt, ToDoubleFunction<RealtimeCounters> f) {
        FunctionCounter.builder(name, rt, f).description(help).register(registry);
    }

    @Override
    public void generationStarted() {
        started.increment();
    }

    @Override
    public void retry(String provider) {
        registry.counter("ai.progress.retries", "provider", provider).increment();
    }

    @Override
    public void fallback(String fromProvider, String toProvider) {
        registry.counter("ai.progress.fallbacks", "from", fromProvider, "to", toProvider).increment();
    }

    @Override
    public void generationEnded(GenerationRecord r) {
        registry.counter("ai.progress.generations", "provider", r.provider(), "model", r.model(), "outcome", r.outcome())
                .increment();
        chunks.increment(r.chunks());
        if (PluginStats.Codes.CANCELLED.equals(r.outcome())) {
            cancellations.increment();
        } else if (!r.ok()) {
            registry.counter("ai.progress.errors", "code", r.outcome()).increment();
        }
        if (r.firstTokenNanos().isPresent()) {
            timer("ai.progress.time.to.first.token", r).record(Duration.ofNanos(r.firstTokenNanos().getAsLong()));
        }
        timer("ai.progress.generation.duration", r).record(Duration.ofNanos(r.durationNanos()));
    }

    private Timer timer(String name, GenerationRecord r) {
        return Timer.builder(name).tag("provider", r.provider()).tag("model", r.model())
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(MAX)
                .register(registry);
    }

    @Override
    public boolean timesChunks() {
        return true;
    }

    @Override
    public void chunkOverhead(long nanos) {
        overhead.record(Duration.ofNanos(nanos));
    }

    @Override
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public String contentType() {
        return "text/plain; version=0.0.4; charset=utf-8";
    }

    @Override
    public void close() {
        registry.close();
    }
}
