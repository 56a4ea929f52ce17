package dev.aiprogress.web.ops;

import dev.aiprogress.metrics.PluginMetrics;
import dev.aiprogress.realtime.RealtimeCounters;
import dev.aiprogress.config.ConfigException;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The operators' side of one deployment: the metrics recorders the gateway and providers report to
 * ({@link #metrics()}), the body of {@code /ai-progress/metrics}, the JMX MBeans, and readiness
 * for {@code /ai-progress/health}. Stored as the context attribute {@link #ATTRIBUTE}; closed on
 * undeploy (unregisters the MBeans, closes the Micrometer registry).
 *
 * <p>Backends ({@code ai-progress.metrics.backend}): {@code plugin} keeps the plugin's own counters,
 * registers the MBeans and writes Prometheus text itself; {@code micrometer} records into a
 * Micrometer Prometheus registry and scrapes it; {@code auto} (default) picks {@code micrometer}
 * when {@code micrometer-core} and {@code micrometer-registry-prometheus} are on the classpath. The
 * plugin's own counters run in every case (readiness and the MBean figures come from them).
 */
public final class Operations implements AutoCloseable {

    public static final String ATTRIBUTE = Operations.class.getName();
    static final String PROMETHEUS_REGISTRY = "io.micrometer.prometheusmetrics.PrometheusMeterRegistry";
    static final String METER_REGISTRY = "io.micrometer.core.instrument.MeterRegistry";

    private static final System.Logger LOG = System.getLogger(Operations.class.getName());

    /** What {@code /ai-progress/health} reports. */
    public record Health(boolean live, boolean ready, Map<String, ProviderLast> providers, String cluster) {
    }

    /** @param outcome {@code ok}, {@code error} or {@code none} */
    public record ProviderLast(String outcome, Optional<String> errorCode, Optional<java.time.Instant> at) {
    }

    private final OpsOptions settings;
    private final List<String> providers;
    private final ProviderHealth health;
    private final PluginMetrics metrics;
    private final Scrape scrape;
    private final Optional<JmxMetrics> jmx;
    /** The cluster bus state for readiness: {@code local} until the cluster work installs its own. */
    private volatile Supplier<String> cluster = () -> "local";
    /** Set once every part of the deployment runs ({@link #markStarted}); cleared for good by {@link #markStopping}. */
    private volatile boolean started;
    private volatile boolean stopping;

    private Operations(OpsOptions settings, List<String> providers,
                       ProviderHealth health, Scrape scrape, List<PluginMetrics> recorders, Optional<JmxMetrics> jmx) {
        this.settings = settings;
        this.providers = List.copyOf(providers);
        this.health = health;
        this.scrape = scrape;
        this.metrics = new FanOut(recorders);
        this.jmx = jmx;
    }

    /**
     * @param providers          the configured provider names, in fallback order
     * @param contextPath        names the MBeans ({@code "" → "/"})
     * @param activeGenerations  live generations now
     */
    public static Operations start(OpsOptions settings, List<String> providers, String contextPath,
                                   RealtimeCounters realtime, IntSupplier activeGenerations) {
        PluginStats stats = new PluginStats(activeGenerations, realtime);
        ProviderHealth health = new ProviderHealth(Clock.systemUTC());
        List<PluginMetrics> recorders = new ArrayList<>(List.of(stats, health));
        boolean micrometer = useMicrometer(settings.metricsBackend());
        Scrape scrape;
        Optional<JmxMetrics> jmx = Optional.empty();
        if (micrometer) {
            MicrometerMetrics m = new MicrometerMetrics(stats);
            recorders.add(m);
            scrape = m;
        } else {
            scrape = new Scrape() {
                @Override
                public String scrape() {
                    return PrometheusWriter.write(stats);
                }

                @Override
                public String contentType() {
                    return PrometheusWriter.CONTENT_TYPE;
                }

                @Override
                public String backend() {
                    return "plugin";
                }
            };
            jmx = Optional.of(JmxMetrics.register(contextPath, stats, () -> health.of(providers)));
        }
        LOG.log(System.Logger.Level.INFO, "AIP-033 ai-progress metrics: " + scrape.backend()
                + (jmx.isPresent() ? " (own counters, JMX " + JmxMetrics.DOMAIN + ")" : " (Micrometer Prometheus registry)")
                + ", endpoint " + (settings.metricsEnabled() ? "on for role " + settings.metricsRole() : "off"));
        return new Operations(settings, providers, health, scrape, recorders, jmx);
    }

    private static boolean useMicrometer(String backend) {
        boolean present = present(METER_REGISTRY) && present(PROMETHEUS_REGISTRY);
        switch (backend) {
            case "plugin":
                return false;
            case "micrometer":
                if (!present) {
                    throw new ConfigException(OpsKeys.METRICS_BACKEND.name(), "'micrometer' needs micrometer-core and "
                            + "micrometer-registry-prometheus in WEB-INF/lib");
                }
                return true;
            default:
                return present;
        }
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, Operations.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** The operators' side of a running deployment, if it started. */
    public static Optional<Operations> of(jakarta.servlet.ServletContext context) {
        Object value = context.getAttribute(ATTRIBUTE);
        return value instanceof Operations ops ? Optional.of(ops) : Optional.empty();
    }

    /** What the gateway and the providers report to. */
    public PluginMetrics metrics() {
        return metrics;
    }

    /** Hook for the cluster bus: a supplier of its state ({@code local}, {@code up}, or anything else for down). */
    public void clusterState(Supplier<String> state) {
        this.cluster = Objects.requireNonNull(state, "state");
    }

    public OpsOptions settings() {
        return settings;
    }

    /** {@code micrometer} or {@code plugin}. */
    public String backend() {
        return scrape.backend();
    }

    String scrape() {
        return scrape.scrape();
    }

    String contentType() {
        return scrape.contentType();
    }

    /** Every part of the deployment runs: readiness may answer yes. */
    public void markStarted() {
        started = true;
    }

    /** The deployment is going away: not ready from now on, so a load balancer drains this node first. */
    public void markStopping() {
        stopping = true;
    }

    /**
     * Live always. Ready when this node is: started, not shutting down, and its cluster bus
     * {@code local} or {@code up} (Redis reachable when configured). Provider outcomes are in the
     * body as information — every node shares the providers, so one bad provider answer must not
     * take all of them out of a load balancer — unless {@code health.ready-on-provider-failures} n
     * is set: then also not ready once every configured provider failed its last n real attempts.
     */
    public Health health() {
        Map<String, ProviderHealth.Last> last = health.of(providers);
        Map<String, ProviderLast> out = new java.util.LinkedHashMap<>();
        last.forEach((name, l) -> out.put(name, new ProviderLast(l.outcome(), l.errorCode(), l.at())));
        int threshold = settings.readyOnProviderFailures();
        boolean allDown = threshold > 0 && !last.isEmpty()
                && last.values().stream().allMatch(l -> l.failuresInARow() >= threshold);
        String bus;
        try {
            bus = cluster.get();
        } catch (RuntimeException e) {
            bus = "error";
        }
        boolean busOk = "local".equals(bus) || "up".equals(bus);
        return new Health(true, started && !stopping && !allDown && busOk, out, bus);
    }

    @Override
    public void close() {
        jmx.ifPresent(JmxMetrics::close);
        scrape.close();
    }
}
