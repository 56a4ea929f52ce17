/**
 * Every dialect a configuration may name and how its provider is built
 * ({@link dev.aiprogress.provider.catalog.DialectCatalog}), and the provider keys
 * ({@link dev.aiprogress.provider.catalog.ProviderKeys}) that become {@code ProviderSettings}. The
 * one place that knows all dialects: it imports them, and no dialect imports it (they use only
 * {@code provider}'s small shared interfaces), so adding a dialect closes no cycle.
 */
package dev.aiprogress.provider.catalog;
