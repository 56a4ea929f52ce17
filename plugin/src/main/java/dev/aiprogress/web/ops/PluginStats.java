package dev.aiprogress.web.ops;

import dev.aiprogress.metrics.GenerationRecord;
import dev.aiprogress.metrics.PluginMetrics;
import dev.aiprogress.realtime.RealtimeCounters;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * The plugin's own figures, always recorded ({@link LongAdder}s and {@link LatencyHistogram}s; no
 * lock on any path): they back the JMX MBeans and the Prometheus text the plugin writes itself when
 * Micrometer is not used. Gauges (active generations, open sockets) and the realtime counters are
 * read from their owners when asked.
 */
final class PluginStats implements PluginMetrics {

    /** Labels of a generation metric. */
    record Model(String provider, String model) {
    }

    record Outcome(String provider, String model, String outcome) {
    }

    record Hop(String from, String to) {
    }

    private final IntSupplier activeGenerations;
    private final RealtimeCounters realtime;

    private final LongAdder started = new LongAdder();
    private final LongAdder cancellations = new LongAdder();
    private final LongAdder chunks = new LongAdder();
    private final ConcurrentHashMap<Outcome, LongAdder> generations = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> retries = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Hop, LongAdder> fallbacks = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Model, LatencyHistogram> firstToken = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Model, LatencyHistogram> duration = new ConcurrentHashMap<>();
    private final LatencyHistogram overhead = new LatencyHistogram(LatencyHistogram.OVERHEAD_BOUNDS_NANOS);

    PluginStats(IntSupplier activeGenerations, RealtimeCounters realtime) {
        this.activeGenerations = Objects.requireNonNull(activeGenerations, "activeGenerations");
        this.realtime = Objects.requireNonNull(realtime, "realtime");
    }

    @Override
    public void generationStarted() {
        started.increment();
    }

    @Override
    public void retry(String provider) {
        retries.computeIfAbsent(provider, k -> new LongAdder()).increment();
    }

    @Override
    public void fallback(String fromProvider, String toProvider) {
        fallbacks.computeIfAbsent(new Hop(fromProvider, toProvider), k -> new LongAdder()).increment();
    }

    @Override
    public void generationEnded(GenerationRecord r) {
        generations.computeIfAbsent(new Outcome(r.provider(), r.model(), r.outcome()), k -> new LongAdder()).increment();
        chunks.add(r.chunks());
        if (Codes.CANCELLED.equals(r.outcome())) {
            cancellations.increment();
        } else if (!r.ok()) {
            errors.computeIfAbsent(r.outcome(), k -> new LongAdder()).increment();
        }
        Model m = new Model(r.provider(), r.model());
        if (r.firstTokenNanos().isPresent()) {
            firstToken.computeIfAbsent(m, k -> new LatencyHistogram(LatencyHistogram.GENERATION_BOUNDS_NANOS))
                    .record(r.firstTokenNanos().getAsLong());
        }
        duration.computeIfAbsent(m, k -> new LatencyHistogram(LatencyHistogram.GENERATION_BOUNDS_NANOS))
                .record(r.durationNanos());
    }

    @Override
    public boolean timesChunks() {
        return true;
    }

    @Override
    public void chunkOverhead(long nanos) {
        overhead.record(nanos);
    }

    // ---- reading

    int activeGenerations() {
        try {
            return activeGenerations.getAsInt();
        } catch (IllegalStateException e) {
            return 0; // the gateway is not installed yet, or already gone
        }
    }

    RealtimeCounters realtime() {
        return realtime;
    }

    long started() {
        return started.sum();
    }

    long cancellations() {
        return cancellations.sum();
    }

    long chunks() {
        return chunks.sum();
    }

    Map<Outcome, Long> generations() {
        return sorted(generations, java.util.Comparator.comparing(Outcome::provider).thenComparing(Outcome::model)
                .thenComparing(Outcome::outcome));
    }

    Map<String, Long> retries() {
        return sorted(retries, java.util.Comparator.naturalOrder());
    }

    Map<Hop, Long> fallbacks() {
        return sorted(fallbacks, java.util.Comparator.comparing(Hop::from).thenComparing(Hop::to));
    }

    Map<String, Long> errors() {
        return sorted(errors, java.util.Comparator.naturalOrder());
    }

    long retriesTotal() {
        return retries.values().stream().mapToLong(LongAdder::sum).sum();
    }

    long fallbacksTotal() {
        return fallbacks.values().stream().mapToLong(LongAdder::sum).sum();
    }

    long completed() {
        return generations.entrySet().stream().filter(e -> PluginMetrics.OK.equals(e.getKey().outcome()))
                .mapToLong(e -> e.getValue().sum()).sum();
    }

    long failed() {
        return generations.entrySet().stream().filter(e -> !PluginMetrics.OK.equals(e.getKey().outcome())
                && !Codes.CANCELLED.equals(e.getKey().outcome())).mapToLong(e -> e.getValue().sum()).sum();
    }

    Map<Model, LatencyHistogram> firstToken() {
        return histograms(firstToken);
    }

    Map<Model, LatencyHistogram> duration() {
        return histograms(duration);
    }

    LatencyHistogram overhead() {
        return overhead;
    }

    /** Every model's histograms merged into one (for the MBean's overall p50/p99). */
    static LatencyHistogram merged(Iterable<LatencyHistogram> parts) {
        LatencyHistogram all = null;
        for (LatencyHistogram h : parts) {
            if (all == null) {
                all = new LatencyHistogram(h.bounds());
            }
            all.add(h);
        }
        return all == null ? new LatencyHistogram(LatencyHistogram.GENERATION_BOUNDS_NANOS) : all;
    }

    private static <K> Map<K, Long> sorted(Map<K, LongAdder> source, java.util.Comparator<K> order) {
        Map<K, Long> out = new TreeMap<>(order);
        source.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    private static Map<Model, LatencyHistogram> histograms(Map<Model, LatencyHistogram> source) {
        Map<Model, LatencyHistogram> out = new TreeMap<>(java.util.Comparator.comparing(Model::provider)
                .thenComparing(Model::model));
        out.putAll(source);
        return out;
    }

    /** Outcome codes this class treats specially (FailureCode lives in gateway; web may name it). */
    static final class Codes {
        static final String CANCELLED = dev.aiprogress.gateway.FailureCode.CANCELLED.code();

        private Codes() {
        }
    }

    static List<String> transports() {
        return List.of(RealtimeCounters.Transport.SOCKETIO.label(), RealtimeCounters.Transport.PLAIN.label());
    }
}
