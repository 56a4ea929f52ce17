/**
 * Runs tasks: {@link dev.aiprogress.gateway.Gateway} checks and starts each chat as a
 * {@link dev.aiprogress.gateway.Generation}, which routes it over the configured providers (retry,
 * fallback, first-token timeout), passes every attempt's deltas through the {@code stream} splitter
 * and coalescer, numbers the events and hands each to the owner's realtime sockets and to the
 * caller's {@link dev.aiprogress.gateway.GenerationObserver}; {@link dev.aiprogress.gateway.Tasks}
 * keeps the live and recently finished tasks. It may import {@code provider} (the interfaces only,
 * never a dialect), {@code stream}, {@code event}, {@code metrics} and the one interface
 * {@link dev.aiprogress.realtime.EventPublisher} of {@code realtime}; it must not import
 * {@code web}, the servlet or WebSocket API, or a concrete transport. The threads and locks are
 * described in docs/ARCHITECTURE.md.
 */
package dev.aiprogress.gateway;
