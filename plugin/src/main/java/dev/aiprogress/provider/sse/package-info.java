/**
 * The shared streaming transport of every HTTP dialect: {@link dev.aiprogress.provider.sse.HttpStreamProvider}
 * sends a {@link dev.aiprogress.provider.WireDialect}'s request with the plugin's upstream client
 * ({@link dev.aiprogress.provider.http}) and reads the body as bytes, one read at a time on the
 * client's I/O thread (no thread per stream), through {@link dev.aiprogress.provider.sse.Utf8StreamDecoder} and an
 * {@link dev.aiprogress.provider.sse.SseDecoder} or {@link dev.aiprogress.provider.sse.NdjsonDecoder}
 * into the dialect's {@link dev.aiprogress.provider.FrameParser}. Timeouts, cancellation, HTTP error
 * bodies and key redaction live here once; {@link dev.aiprogress.provider.sse.HttpErrorText} and
 * {@link dev.aiprogress.provider.sse.RetryAfter} are for the dialects' {@code describeHttpError}.
 */
package dev.aiprogress.provider.sse;
