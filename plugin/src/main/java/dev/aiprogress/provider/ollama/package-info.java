/**
 * The Ollama {@code /api/chat} dialect ({@code ai-progress.provider.<name>.dialect = ollama}): the
 * request body and the parser of its newline-delimited JSON stream, whose {@code thinking} field
 * is reasoning. Wire knowledge only: it may import {@code provider}, {@code provider.sse} (to be
 * run by {@code HttpStreamProvider}) and {@code stream}, and must not do I/O of its own or import
 * another dialect, {@code gateway}, {@code realtime} or {@code web}.
 */
package dev.aiprogress.provider.ollama;
