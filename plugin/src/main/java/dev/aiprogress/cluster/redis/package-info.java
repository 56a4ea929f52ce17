/**
 * The Redis pub/sub cluster bus. The only package that imports Lettuce ({@code io.lettuce}); it is
 * loaded by name, only when {@code ai-progress.cluster.redis-uri} is set, so a single node never
 * needs the Lettuce jars.
 */
package dev.aiprogress.cluster.redis;
