package dev.aiprogress.web.ops;

import dev.aiprogress.realtime.RealtimeCounters;

import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Registers the plugin's MXBeans on the platform MBean server as
 * {@code dev.aiprogress:type=Generations|Realtime,context="<context path or />"} (two deployments
 * do not clash) and unregisters them on {@link #close()} (undeploy).
 */
final class JmxMetrics implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(JmxMetrics.class.getName());
    static final String DOMAIN = "dev.aiprogress";

    private final MBeanServer server;
    private final List<ObjectName> registered = new ArrayList<>();

    private JmxMetrics(MBeanServer server) {
        this.server = server;
    }

    static ObjectName name(String type, String contextPath) {
        try {
            return new ObjectName(DOMAIN + ":type=" + type + ",context="
                    + ObjectName.quote(contextPath.isEmpty() ? "/" : contextPath));
        } catch (JMException e) {
            throw new IllegalArgumentException("not a valid MBean name for context '" + contextPath + "'", e);
        }
    }

    static JmxMetrics register(String contextPath, PluginStats stats, Supplier<Map<String, ProviderHealth.Last>> health) {
        JmxMetrics jmx = new JmxMetrics(ManagementFactory.getPlatformMBeanServer());
        jmx.add(name("Generations", contextPath), new Generations(stats, health));
        jmx.add(name("Realtime", contextPath), new Realtime(stats));
        return jmx;
    }

    private void add(ObjectName name, Object bean) {
        try {
            server.registerMBean(bean, name);
            registered.add(name);
        } catch (InstanceAlreadyExistsException e) {
            LOG.log(System.Logger.Level.WARNING, "AIP-032 MBean " + name + " is already registered (another deployment "
                    + "at the same context path?); this one is not shown in JMX");
        } catch (JMException e) {
            LOG.log(System.Logger.Level.WARNING, "AIP-032 could not register MBean " + name, e);
        }
    }

    @Override
    public void close() {
        for (ObjectName name : registered) {
            try {
                server.unregisterMBean(name);
            } catch (InstanceNotFoundException e) {
                // already gone
            } catch (JMException e) {
                LOG.log(System.Logger.Level.WARNING, "AIP-032 could not unregister MBean " + name, e);
            }
        }
        registered.clear();
    }

    private static final class Generations implements GenerationsMXBean {
        private final PluginStats s;
        private final Supplier<Map<String, ProviderHealth.Last>> health;

        Generations(PluginStats s, Supplier<Map<String, ProviderHealth.Last>> health) {
            this.s = s;
            this.health = health;
        }

        @Override public int getActive() { return s.activeGenerations(); }
        @Override public long getStarted() { return s.started(); }
        @Override public long getCompleted() { return s.completed(); }
        @Override public long getFailed() { return s.failed(); }
        @Override public long getCancellations() { return s.cancellations(); }
        @Override public long getRetries() { return s.retriesTotal(); }
        @Override public long getFallbacks() { return s.fallbacksTotal(); }
        @Override public long getChunks() { return s.chunks(); }
        @Override public Map<String, Long> getErrorsByCode() { return new LinkedHashMap<>(s.errors()); }
        @Override public Map<String, Long> getTimeToFirstTokenP50Millis() { return quantiles(s.firstToken(), 0.5); }
        @Override public Map<String, Long> getTimeToFirstTokenP99Millis() { return quantiles(s.firstToken(), 0.99); }
        @Override public Map<String, Long> getDurationP50Millis() { return quantiles(s.duration(), 0.5); }
        @Override public Map<String, Long> getDurationP99Millis() { return quantiles(s.duration(), 0.99); }

        @Override
        public Map<String, String> getProviderLastOutcome() {
            Map<String, String> out = new LinkedHashMap<>();
            health.get().forEach((name, last) -> out.put(name,
                    last.outcome() + last.errorCode().map(c -> " " + c).orElse("")));
            return out;
        }

        private static Map<String, Long> quantiles(Map<PluginStats.Model, LatencyHistogram> hs, double q) {
            Map<String, Long> out = new LinkedHashMap<>();
            hs.forEach((m, h) -> out.put(m.provider() + "/" + m.model(), h.quantileNanos(q) / 1_000_000L));
            return out;
        }
    }

    private static final class Realtime implements RealtimeMXBean {
        private final PluginStats s;

        Realtime(PluginStats s) {
            this.s = s;
        }

        private long rt(Function<RealtimeCounters, Long> f) {
            return f.apply(s.realtime());
        }

        @Override public long getSocketIoSockets() { return s.realtime().openSockets(RealtimeCounters.Transport.SOCKETIO); }
        @Override public long getPlainSockets() { return s.realtime().openSockets(RealtimeCounters.Transport.PLAIN); }
        @Override public long getEventsPublished() { return rt(RealtimeCounters::publishedCount); }
        @Override public long getEventsDelivered() { return rt(RealtimeCounters::deliveredCount); }
        @Override public long getBytesDelivered() { return rt(RealtimeCounters::deliveredBytesCount); }
        @Override public long getOutboxMerges() { return rt(RealtimeCounters::mergeCount); }
        @Override public long getOverflowCloses() { return rt(RealtimeCounters::overflowCloseCount); }
        @Override public long getReplayedEvents() { return rt(RealtimeCounters::replayedCount); }
        @Override public long getChunkOverheadSamples() { return s.overhead().count(); }
        @Override public long getChunkOverheadP50Micros() { return s.overhead().quantileNanos(0.5) / 1_000L; }
        @Override public long getChunkOverheadP99Micros() { return s.overhead().quantileNanos(0.99) / 1_000L; }
    }
}
