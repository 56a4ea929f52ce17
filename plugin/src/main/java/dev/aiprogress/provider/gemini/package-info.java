/**
 * The Google Gemini {@code streamGenerateContent} dialect ({@code ai-progress.provider.<name>.dialect = gemini}):
 * the request body, with thinking and function declarations, and the parser of its server-sent
 * events, where parts marked as thought are reasoning. Wire knowledge only: it may import
 * {@code provider}, {@code provider.sse} (to be run by {@code HttpStreamProvider}) and
 * {@code stream}, and must not do I/O of its own or import another dialect, {@code gateway},
 * {@code realtime} or {@code web}.
 */
package dev.aiprogress.provider.gemini;
