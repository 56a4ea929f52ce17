/**
 * The plugin's own HTTP/1.1 client for streaming calls to LLM providers
 * ({@link dev.aiprogress.provider.http.UpstreamClient}): non-blocking sockets on a few I/O threads,
 * TLS through {@code SSLEngine}, keep-alive pooling, proxies, and a response handler called on the
 * I/O thread for every read. Knows nothing of dialects, events or the servlet API; used by
 * {@code provider/sse}. Thread model: a connection and its exchange live on one
 * {@link dev.aiprogress.provider.http.IoLoop}; other threads only hand it tasks or cancel.
 */
package dev.aiprogress.provider.http;
