/**
 * The Anthropic Messages dialect ({@code ai-progress.provider.<name>.dialect = anthropic}): the
 * request body, with thinking and tools, and the parser of its server-sent events, which turns
 * {@code thinking} blocks into reasoning and keeps their signatures as provider state. Wire
 * knowledge only: it may import {@code provider}, {@code provider.sse} (to be run by
 * {@code HttpStreamProvider}) and {@code stream}, and must not do I/O of its own or import
 * another dialect, {@code gateway}, {@code realtime} or {@code web}.
 */
package dev.aiprogress.provider.anthropic;
