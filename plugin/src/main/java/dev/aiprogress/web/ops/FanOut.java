package dev.aiprogress.web.ops;

import dev.aiprogress.metrics.GenerationRecord;
import dev.aiprogress.metrics.PluginMetrics;

import java.util.List;

/** Tells every recorder; one that throws does not stop the others (and is not retried). */
final class FanOut implements PluginMetrics {

    private static final System.Logger LOG = System.getLogger(FanOut.class.getName());

    /** Distinct provider/model label pairs kept; later models are reported as {@value #OTHER}. */
    static final int MAX_MODELS = 100;
    static final String OTHER = "other";

    private final List<PluginMetrics> targets;
    private final boolean timesChunks;
    /** A request may name any model (without an allow-list): the metrics' label sets stay bounded. */
    private final java.util.Set<String> models = java.util.concurrent.ConcurrentHashMap.newKeySet();

    FanOut(List<PluginMetrics> targets) {
        this.targets = List.copyOf(targets);
        this.timesChunks = this.targets.stream().anyMatch(PluginMetrics::timesChunks);
    }

    private interface Call {
        void on(PluginMetrics m);
    }

    private void each(Call call) {
        for (PluginMetrics m : targets) {
            try {
                call.on(m);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "AIP-031 a metrics recorder failed: " + m.getClass().getSimpleName(), e);
            }
        }
    }

    @Override
    public void generationStarted() {
        each(PluginMetrics::generationStarted);
    }

    @Override
    public void retry(String provider) {
        each(m -> m.retry(provider));
    }

    @Override
    public void fallback(String fromProvider, String toProvider) {
        each(m -> m.fallback(fromProvider, toProvider));
    }

    @Override
    public void attemptEnded(String provider, String outcome) {
        each(m -> m.attemptEnded(provider, outcome));
    }

    @Override
    public void generationEnded(GenerationRecord record) {
        GenerationRecord bounded = bounded(record);
        each(m -> m.generationEnded(bounded));
    }

    private GenerationRecord bounded(GenerationRecord r) {
        String key = r.provider() + "\u0000" + r.model();
        if (models.contains(key) || (models.size() < MAX_MODELS && models.add(key))) {
            return r;
        }
        return new GenerationRecord(r.taskId(), r.provider(), OTHER, r.outcome(), r.firstTokenNanos(), r.durationNanos(),
                r.chunks());
    }

    @Override
    public boolean timesChunks() {
        return timesChunks;
    }

    @Override
    public void chunkOverhead(long nanos) {
        each(m -> m.chunkOverhead(nanos));
    }
}
