/**
 * Many nodes: the {@link dev.aiprogress.cluster.ClusterBus} SPI that routes a user's events only to
 * the nodes holding sockets of that user, {@link dev.aiprogress.cluster.LocalBus} for one node (the
 * default), the {@link dev.aiprogress.cluster.Envelope} that carries an event between nodes, and
 * {@code redis/}, the Redis pub/sub bus (Lettuce, an optional dependency loaded only when
 * {@code ai-progress.cluster.redis-uri} is set). Uses only {@code event}.
 */
package dev.aiprogress.cluster;
