package dev.aiprogress.web.bootstrap;

import dev.aiprogress.cluster.ClusterBus;
import dev.aiprogress.cluster.ClusterKeys;
import dev.aiprogress.cluster.LocalBus;
import dev.aiprogress.config.ConfigException;
import dev.aiprogress.web.config.Config;

import java.lang.reflect.InvocationTargetException;
import java.net.URI;
import java.time.Duration;

/**
 * Picks the cluster bus: {@link LocalBus} for one node, or the Redis bus when
 * {@code ai-progress.cluster.redis-uri} is set. The Redis bus is loaded by name so that no Lettuce
 * class is touched on a single node (Lettuce is an optional jar in {@code WEB-INF/lib}).
 */
final class ClusterWiring {

    static final String KEY = ClusterKeys.REDIS_URI.name();
    static final String REDIS_BUS = "dev.aiprogress.cluster.redis.RedisBus";

    private static final System.Logger LOG = System.getLogger(ClusterWiring.class.getName());

    private ClusterWiring() {
    }

    /** The bus for this configuration; a Redis that cannot be reached fails with a {@link ConfigException} on {@value #KEY}. */
    static ClusterBus bus(Config config, ClusterBus.Delivery local, ClusterBus.CancelHandler cancels) {
        if (config.redisUri().isEmpty()) {
            return new LocalBus(local);
        }
        URI uri = config.redisUri().get();
        try {
            Class<?> type = Class.forName(REDIS_BUS, true, ClusterWiring.class.getClassLoader());
            return (ClusterBus) type.getMethod("connect", URI.class, Duration.class, int.class, ClusterBus.Delivery.class,
                    ClusterBus.CancelHandler.class).invoke(null, uri, config.realtime().replayMaxAge(),
                    config.realtime().replayMaxEvents(), local, cancels);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof NoClassDefFoundError) {
                throw missingLettuce(cause);
            }
            throw logged(new ConfigException(KEY, cause.getMessage()));
        } catch (ClassNotFoundException | NoClassDefFoundError e) {
            throw missingLettuce(e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("AIP-209 the Redis cluster bus could not be created", e);
        }
    }

    private static ConfigException logged(ConfigException e) {
        LOG.log(System.Logger.Level.ERROR, "AIP-201 the cluster bus cannot start: " + e.getMessage());
        return e;
    }

    private static ConfigException missingLettuce(Throwable cause) {
        return logged(new ConfigException(KEY, "is set but Lettuce is missing (" + cause.getMessage() + "): add lettuce-core "
                + "and its netty and reactor-core jars to WEB-INF/lib"));
    }
}
