/**
 * Starting and stopping one deployment: the {@code ServletContainerInitializer} that registers the
 * plugin, the lifecycle listener that builds every part in dependency order (cluster bus, hub,
 * operations, gateway, HTTP services, realtime endpoints) and closes them in reverse, and the
 * runtime of shared threads and clients. The top of the package graph: it may import every other
 * package, and none imports it.
 */
package dev.aiprogress.web.bootstrap;
