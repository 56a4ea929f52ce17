/**
 * Providers that need no network: {@link dev.aiprogress.provider.scripted.ScriptedProvider}, the
 * offline default that plays a deterministic reasoning-then-answer stream cut like a real
 * upstream's, and {@link dev.aiprogress.provider.scripted.TestStreamProvider} behind the
 * {@code test_reasoning_stream} endpoint. Both pace their deltas with tasks on the shared scheduler,
 * so no thread sleeps. It may import {@code provider} and {@code stream} only; it must not import
 * {@code provider.http}, {@code provider.sse}, a dialect, {@code gateway}, {@code realtime} or {@code web}.
 */
package dev.aiprogress.provider.scripted;
