package dev.aiprogress.cluster;

import dev.aiprogress.config.Key;

import java.net.URI;
import java.util.List;

/** The configuration key of the cluster bus: which Redis routes events across nodes, if any. */
public final class ClusterKeys {

    public static final Key<URI> REDIS_URI = Key.url("ai-progress.cluster.redis-uri", List.of("redis", "rediss"),
            "none (single node)", "route events across nodes through this Redis");

    public static final List<Key<?>> ALL = List.of(REDIS_URI);

    private ClusterKeys() {
    }
}
