/**
 * What every upstream LLM provider is to the rest of the plugin: {@link dev.aiprogress.provider.ChatProvider}
 * with its {@link dev.aiprogress.provider.StreamListener} and {@link dev.aiprogress.provider.StreamHandle},
 * the request model ({@link dev.aiprogress.provider.ChatRequest} and its parts), the settings of
 * one configured provider, the {@link dev.aiprogress.provider.WireDialect} and
 * {@link dev.aiprogress.provider.FrameParser} that each HTTP dialect implements, and
 * {@link dev.aiprogress.provider.ProviderContext}, the client, JSON provider and scheduler they
 * share. It may import {@code stream}, {@code metrics} and {@code provider.http}; it must not import
 * {@code gateway}, {@code realtime}, {@code web} or the servlet API. {@link dev.aiprogress.provider.ChatProviders}
 * is the one class here that imports the dialect packages below it (see docs/ARCHITECTURE.md).
 */
package dev.aiprogress.provider;
