/**
 * The configuration vocabulary every part shares: a {@link dev.aiprogress.config.Key} (name, parser
 * and bounds, default, one documentation line), {@link dev.aiprogress.config.ConfigValues} (the raw
 * {@code ai-progress.*} texts with {@code ${env:NAME}} resolved), durations, and the one
 * {@link dev.aiprogress.config.ConfigException} naming the key. Each package that owns an option
 * declares its keys here-shaped beside its options record ({@code GatewayKeys}, {@code RealtimeKeys},
 * {@code AuthKeys}, ...); {@code web.config} gathers them. Imports nothing of the plugin.
 */
package dev.aiprogress.config;
