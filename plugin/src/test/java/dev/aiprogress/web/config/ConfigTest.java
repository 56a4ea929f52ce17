package dev.aiprogress.web.config;

import dev.aiprogress.auth.AuthOptions;
import dev.aiprogress.auth.LoginGuard;
import dev.aiprogress.gateway.GatewayOptions;
import dev.aiprogress.realtime.RealtimeOptions;
import dev.aiprogress.web.http.HttpOptions;
import dev.aiprogress.web.ops.OpsOptions;

import dev.aiprogress.config.ConfigException;

import dev.aiprogress.provider.ProviderSettings;
import dev.aiprogress.stream.TagRules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigTest {

    private static Config parse(Map<String, String> params) {
        return Config.from(ConfigSources.ofParams(params));
    }

    private static String error(Map<String, String> params) {
        return assertThrows(ConfigException.class, () -> parse(params)).getMessage();
    }

    @Test
    void from_nothingSet_givesDocumentedDefaults() {
        Config c = parse(Map.of());
        assertEquals(List.of("scripted"), c.providerNames());
        ProviderSettings s = c.providers().get(0);
        assertEquals("scripted", s.dialect());
        assertEquals("scripted-reasoner", s.defaultModel());
        assertEquals(Optional.empty(), s.apiKey());
        assertEquals(TagRules.DEFAULT, s.tagRules());
        assertEquals(Duration.ofSeconds(10), s.connectTimeout());
        assertEquals(Duration.ofSeconds(120), s.idleTimeout());
        assertEquals(Duration.ofMillis(40), s.pacing());
        assertTrue(c.gateway().emit().adaptive());
        assertTrue(c.gateway().compatEvents());
        assertEquals(new AuthOptions(Optional.empty(), Optional.empty(), false, List.of(),
                new LoginGuard(5, 50, Duration.ofSeconds(30))), c.auth());
        assertEquals(Optional.empty(), c.redisUri());
        assertEquals(new HttpOptions("/api/method/ai_assistant.api.chat_completion", Duration.ofMinutes(30),
                Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(20), 1 << 20,
                new HttpOptions.RequestLimits(1048576, 500, 200_000, 131_072)), c.http());
        assertEquals(4, c.gateway().maxLivePerUser());
        assertTrue(c.register());
        assertEquals(Duration.ofSeconds(60), c.gateway().firstTokenTimeout());
        assertEquals(GatewayOptions.Retry.DEFAULT, c.gateway().retry());
        assertEquals(List.of("scripted"), c.gateway().providerOrder());
        assertEquals(RealtimeOptions.defaults(), c.realtime());
        assertEquals(List.of(Duration.ofSeconds(25), Duration.ofSeconds(20), Duration.ofSeconds(60)),
                List.of(c.realtime().pingInterval(), c.realtime().pingTimeout(), c.realtime().replayMaxAge()));
        assertEquals(List.of(1000, 1048576L, 32), List.of(c.realtime().outboxMaxEvents(), c.realtime().outboxMaxBytes(),
                c.realtime().maxSocketsPerUser()));
        assertFalse(c.realtime().perMessageDeflate());
        assertEquals(Map.of("demo", "demo"), c.demoUsers().passwords());
        assertEquals(Runtime.getRuntime().availableProcessors(), c.upstreamThreads());
        assertEquals(new OpsOptions(false, "ai-progress-admin", "auto", 0), c.ops());
    }

    @Test
    void from_httpKeys_readsHeartbeatAndTestStreamStep() {
        Config c = parse(Map.of("ai-progress.http.heartbeat", "100ms", "ai-progress.test-stream.step", "10ms",
                "ai-progress.http.upstream-threads", "3"));
        assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(10)), List.of(c.http().heartbeat(),
                c.http().testStreamStep()));
        assertEquals(3, c.upstreamThreads());
    }

    @Test
    void from_zeroUpstreamThreads_failsNamingTheKey() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> parse(Map.of("ai-progress.http.upstream-threads", "0")));
        assertEquals("ai-progress.http.upstream-threads", e.key());
    }

    @Test
    void from_zeroReplayWindow_failsNamingTheKeyInsteadOfBreakingTheDeploy() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> parse(Map.of("ai-progress.realtime.replay-window", "0")));
        assertEquals("ai-progress.realtime.replay-window", e.key());
    }

    @Test
    void from_zeroHeartbeat_failsNamingTheKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(Map.of("ai-progress.http.heartbeat", "0")));
        assertEquals("ai-progress.http.heartbeat", e.key());
    }

    @Test
    void from_everyKeySet_readsEachOne() {
        Map<String, String> p = new HashMap<>();
        p.put("ai-progress.providers", "deepseek, claude,gem,local,scripted");
        p.put("ai-progress.provider.deepseek.dialect", "openai");
        p.put("ai-progress.provider.deepseek.base-url", "https://api.deepseek.com");
        p.put("ai-progress.provider.deepseek.api-key", "sk-1");
        p.put("ai-progress.provider.deepseek.model", "deepseek-reasoner");
        p.put("ai-progress.provider.deepseek.models", "deepseek-reasoner, deepseek-chat");
        p.put("ai-progress.provider.deepseek.tags", "Think,reason");
        p.put("ai-progress.provider.deepseek.tag-mode", "anywhere");
        p.put("ai-progress.provider.deepseek.start-in-reasoning", "true");
        p.put("ai-progress.provider.deepseek.connect-timeout", "3s");
        p.put("ai-progress.provider.deepseek.idle-timeout", "2m");
        p.put("ai-progress.provider.claude.dialect", "anthropic");
        p.put("ai-progress.provider.claude.model", "claude-x");
        p.put("ai-progress.provider.gem.dialect", "GEMINI");
        p.put("ai-progress.provider.gem.models", "g1,g2");
        p.put("ai-progress.provider.local.dialect", "ollama");
        p.put("ai-progress.provider.local.model", "qwen3");
        p.put("ai-progress.provider.scripted.pacing", "0");
        p.put("ai-progress.emit.min-chars", "50");
        p.put("ai-progress.emit.interval-ms", "100");
        p.put("ai-progress.compat.frappe-events", "false");
        p.put("ai-progress.auth.session-attribute", "app.user");
        p.put("ai-progress.auth.tokens-file", "/etc/tokens");
        p.put("ai-progress.auth.allow-guest", "yes");
        p.put("ai-progress.cluster.redis-uri", "redis://cache:6379");
        p.put("ai-progress.chat.path", "/api/chat");
        p.put("ai-progress.async-timeout", "20m");
        p.put("ai-progress.limits.max-body-bytes", "2048");
        p.put("ai-progress.limits.max-messages", "10");
        p.put("ai-progress.limits.max-content-chars", "100");
        p.put("ai-progress.limits.max-tokens", "4096");
        p.put("ai-progress.limits.max-concurrent-per-user", "2");
        p.put("ai-progress.register", "false");
        p.put("ai-progress.origins", "https://app.example.com, http://localhost:3000");
        p.put("ai-progress.gateway.first-token-timeout", "45s");
        p.put("ai-progress.gateway.retries", "0");
        p.put("ai-progress.gateway.backoff", "250ms");
        p.put("ai-progress.realtime.ping-interval", "10s");
        p.put("ai-progress.realtime.ping-timeout", "5s");
        p.put("ai-progress.realtime.outbox.max-events", "64");
        p.put("ai-progress.realtime.outbox.max-bytes", "65536");
        p.put("ai-progress.realtime.replay-window", "1h");
        p.put("ai-progress.realtime.max-sockets-per-user", "5");
        p.put("ai-progress.realtime.per-message-deflate", "true");
        p.put("ai-progress.demo.users", "alice:a1, bob:b:2");
        Config c = parse(p);

        assertEquals(List.of("deepseek", "claude", "gem", "local", "scripted"), c.providerNames());
        assertEquals(new ProviderSettings("deepseek", "openai", URI.create("https://api.deepseek.com"), Optional.of("sk-1"),
                "deepseek-reasoner", List.of("deepseek-reasoner", "deepseek-chat"),
                new TagRules(List.of("think", "reason"), TagRules.Mode.ANYWHERE, true),
                Duration.ofSeconds(3), Duration.ofMinutes(2), Duration.ZERO), c.provider("deepseek").orElseThrow());
        ProviderSettings claude = c.provider("claude").orElseThrow();
        assertEquals(URI.create("https://api.anthropic.com"), claude.baseUrl());
        ProviderSettings gem = c.provider("gem").orElseThrow();
        assertEquals("gemini", gem.dialect());
        assertEquals(URI.create("https://generativelanguage.googleapis.com"), gem.baseUrl());
        assertEquals("g1", gem.defaultModel());
        assertEquals(URI.create("http://localhost:11434"), c.provider("local").orElseThrow().baseUrl());
        assertEquals(Duration.ZERO, c.provider("scripted").orElseThrow().pacing());
        assertEquals(50, c.gateway().emit().minChars());
        assertEquals(100, c.gateway().emit().intervalMillis());
        assertFalse(c.gateway().compatEvents());
        assertEquals(new AuthOptions(Optional.of("app.user"), Optional.of(Path.of("/etc/tokens")), true,
                List.of("https://app.example.com", "http://localhost:3000"), new LoginGuard(5, 50, Duration.ofSeconds(30))),
                c.auth());
        assertEquals(Optional.of(URI.create("redis://cache:6379")), c.redisUri());
        assertEquals("/api/chat", c.http().chatPath());
        assertEquals(Duration.ofMinutes(20), c.http().asyncTimeout());
        assertEquals(new HttpOptions.RequestLimits(2048, 10, 100, 4096), c.http().limits());
        assertEquals(2, c.gateway().maxLivePerUser());
        assertFalse(c.register());
        assertEquals(List.of("https://app.example.com", "http://localhost:3000"), c.realtime().allowedOrigins());
        assertEquals(Duration.ofSeconds(45), c.gateway().firstTokenTimeout());
        assertEquals(List.of(1, Duration.ofMillis(250)), List.of(c.gateway().retry().maxAttempts(),
                c.gateway().retry().baseBackoff()));
        RealtimeOptions rt = c.realtime();
        assertEquals(List.of(Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofHours(1)),
                List.of(rt.pingInterval(), rt.pingTimeout(), rt.replayMaxAge()));
        assertEquals(List.of(64, 65536L, 5), List.of(rt.outboxMaxEvents(), rt.outboxMaxBytes(), rt.maxSocketsPerUser()));
        assertTrue(rt.perMessageDeflate());
        assertEquals(Map.of("alice", "a1", "bob", "b:2"), c.demoUsers().passwords());
    }

    @Test
    void upstreamConnectTimeout_severalHttpProviders_largestAndScriptedIgnored() {
        Map<String, String> p = new HashMap<>();
        p.put("ai-progress.providers", "fast,slow,scripted");
        p.put("ai-progress.provider.fast.dialect", "openai");
        p.put("ai-progress.provider.fast.base-url", "https://api.deepseek.com");
        p.put("ai-progress.provider.fast.model", "deepseek-chat");
        p.put("ai-progress.provider.fast.connect-timeout", "3s");
        p.put("ai-progress.provider.slow.dialect", "ollama");
        p.put("ai-progress.provider.slow.model", "qwen3");
        p.put("ai-progress.provider.slow.connect-timeout", "25s");
        p.put("ai-progress.provider.scripted.connect-timeout", "90s");

        assertEquals(Duration.ofSeconds(25), parse(p).upstreamConnectTimeout());
    }

    @Test
    void upstreamConnectTimeout_onlyScripted_defaultTenSeconds() {
        assertEquals(Duration.ofSeconds(10), parse(Map.of()).upstreamConnectTimeout());
    }

    @Test
    void from_allSources_laterSourceWins(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ai.properties");
        Files.writeString(file, "ai-progress.chat.path=/from-file\nai-progress.async-timeout=5m\n"
                + "ai-progress.emit.min-chars=7\nother.key=ignored\n");
        Map<String, String> params = Map.of(
                "ai-progress.config", file.toString(),
                "ai-progress.chat.path", "/from-params",
                "ai-progress.async-timeout", "1m",
                "ai-progress.emit.interval-ms", "9",
                "ai-progress.gateway.retries", "5");
        Map<String, String> system = Map.of("ai-progress.async-timeout", "2h", "ai-progress.gateway.retries", "1");
        Config c = Config.from(new ConfigSources(params, system, name -> Optional.empty()));
        assertEquals("/from-file", c.http().chatPath());          // file over params
        assertEquals(Duration.ofHours(2), c.http().asyncTimeout()); // system over file
        assertEquals(7, c.gateway().emit().minChars());               // file over default
        assertEquals(9, c.gateway().emit().intervalMillis());         // params over default
        assertEquals(2, c.gateway().retry().maxAttempts());             // system over params
    }

    @Test
    void from_configFileNamedBySystemProperty_isRead(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("x.properties");
        Files.writeString(file, "ai-progress.chat.path=/sys-file\n");
        Config c = Config.from(new ConfigSources(Map.of(), Map.of("ai-progress.config", file.toString()),
                name -> Optional.empty()));
        assertEquals("/sys-file", c.http().chatPath());
    }

    @Test
    void from_envReference_isResolvedFromInjectedEnvironment() {
        Map<String, String> env = Map.of("DS_KEY", "sk-secret", "HOST", "api.deepseek.com");
        Config c = Config.from(new ConfigSources(Map.of(
                "ai-progress.providers", "ds",
                "ai-progress.provider.ds.dialect", "openai",
                "ai-progress.provider.ds.model", "m",
                "ai-progress.provider.ds.api-key", "${env:DS_KEY}",
                "ai-progress.provider.ds.base-url", "https://${env:HOST}/v1"), Map.of(),
                name -> Optional.ofNullable(env.get(name))));
        ProviderSettings ds = c.provider("ds").orElseThrow();
        assertEquals(Optional.of("sk-secret"), ds.apiKey());
        assertEquals(URI.create("https://api.deepseek.com/v1"), ds.baseUrl());
        assertFalse(c.toString().contains("sk-secret"));
        assertFalse(c.summary().contains("sk-secret"));
        assertTrue(c.summary().contains("key set"));
    }

    @Test
    void toString_demoPasswordsAndRedisPassword_areHidden() {
        Config c = parse(Map.of("ai-progress.demo.users", "alice:topsecret",
                "ai-progress.cluster.redis-uri", "redis://:redispw@cache:6379"));
        assertFalse(c.toString().contains("topsecret"));
        assertFalse(c.toString().contains("redispw"));
        assertTrue(c.toString().contains("alice"));
    }

    @Test
    void summary_baseUrlWithUserInfoOrKeyInTheQuery_isRedacted() {
        Config c = parse(Map.of("ai-progress.providers", "gw,local",
                "ai-progress.provider.gw.dialect", "openai",
                "ai-progress.provider.gw.base-url", "https://bob:hunter2@gateway.example:8443/v1?key=sk-in-query&x=1",
                "ai-progress.provider.gw.model", "m1",
                "ai-progress.provider.local.dialect", "ollama",
                "ai-progress.provider.local.base-url", "http://localhost:11434",
                "ai-progress.provider.local.model", "qwen3"));
        for (String text : new String[] {c.summary(), c.toString(), c.providers().get(0).toString()}) {
            assertFalse(text.contains("hunter2"), text);
            assertFalse(text.contains("bob"), text);
            assertFalse(text.contains("sk-in-query"), text);
        }
        assertTrue(c.summary().contains("gw(openai, https://***@gateway.example:8443/v1?***, model"), c.summary());
        assertTrue(c.summary().contains("local(ollama, http://localhost:11434, model"), c.summary());
    }

    @Test
    void newKeys_defaults_andOverrides() {
        Config d = parse(Map.of());
        assertEquals(Duration.ofSeconds(20), d.http().bodyTimeout());
        assertEquals(new LoginGuard(5, 50, Duration.ofSeconds(30)), d.auth().login());
        assertEquals(0, d.ops().readyOnProviderFailures());
        Config c = parse(Map.of("ai-progress.http.body-timeout", "5s", "ai-progress.login.max-failures", "3",
                "ai-progress.login.max-failures-per-address", "9", "ai-progress.login.lockout", "1m",
                "ai-progress.health.ready-on-provider-failures", "4"));
        assertEquals(Duration.ofSeconds(5), c.http().bodyTimeout());
        assertEquals(new LoginGuard(3, 9, Duration.ofMinutes(1)), c.auth().login());
        assertEquals(4, c.ops().readyOnProviderFailures());
        assertEquals("ai-progress.http.body-timeout: must be greater than 0",
                assertThrows(ConfigException.class, () -> parse(Map.of("ai-progress.http.body-timeout", "0"))).getMessage());
    }

    @Test
    void isKnown_documentedAndMisspelledKeys_areTold() {
        assertTrue(Config.isKnown("ai-progress.limits.max-body-bytes"));
        assertTrue(Config.isKnown("ai-progress.provider.deepseek.api-key"));
        assertFalse(Config.isKnown("ai-progress.provider.deepseek.apikey"));
        assertFalse(Config.isKnown("ai-progress.emit.minchars"));
    }

    @Test
    void from_missingEnvVariable_namesKeyAndVariable() {
        assertEquals("ai-progress.provider.scripted.api-key: environment variable NOPE is not set",
                error(Map.of("ai-progress.provider.scripted.api-key", "${env:NOPE}")));
    }

    @Test
    void from_unknownDialect_namesKey() {
        assertEquals("ai-progress.provider.x.dialect: unknown dialect 'cohere'; one of openai, anthropic, gemini, ollama, scripted",
                error(Map.of("ai-progress.providers", "x", "ai-progress.provider.x.dialect", "cohere")));
    }

    @Test
    void from_providerWithoutDialect_namesKey() {
        assertEquals("ai-progress.provider.openai.dialect: provider 'openai' is listed in ai-progress.providers but has no dialect;"
                        + " one of openai, anthropic, gemini, ollama, scripted",
                error(Map.of("ai-progress.providers", "openai")));
    }

    @Test
    void from_providerWithoutModel_namesKey() {
        assertEquals("ai-progress.provider.x.model: provider 'x' needs a default model (or a non-empty ai-progress.provider.x.models list)",
                error(Map.of("ai-progress.providers", "x", "ai-progress.provider.x.dialect", "openai")));
    }

    @Test
    void from_modelOutsideAllowList_namesKey() {
        assertEquals("ai-progress.provider.scripted.model: 'other' is not in ai-progress.provider.scripted.models [a, b]",
                error(Map.of("ai-progress.provider.scripted.model", "other", "ai-progress.provider.scripted.models", "a,b")));
    }

    @Test
    void from_duplicateOrEmptyProviders_namesKey() {
        assertEquals("ai-progress.providers: provider 'scripted' is listed twice",
                error(Map.of("ai-progress.providers", "scripted,scripted")));
        assertEquals("ai-progress.providers: at least one provider is needed", error(Map.of("ai-progress.providers", " , ")));
        assertEquals("ai-progress.providers: 'a b' is not a valid provider name (letters, digits, _ and -)",
                error(Map.of("ai-progress.providers", "a b")));
    }

    @Test
    void from_badNumbers_nameKey() {
        assertEquals("ai-progress.emit.min-chars: 'lots' is not a whole number", error(Map.of("ai-progress.emit.min-chars", "lots")));
        assertEquals("ai-progress.gateway.retries: must be between 0 and 10, was 11", error(Map.of("ai-progress.gateway.retries", "11")));
        assertEquals("ai-progress.limits.max-body-bytes: must be between 1024 and 2147483647, was 10",
                error(Map.of("ai-progress.limits.max-body-bytes", "10")));
    }

    @Test
    void from_badDuration_namesKey() {
        assertEquals("ai-progress.async-timeout: '30 minutes' is not a duration (write e.g. 500ms, 30s, 20m, 1h)",
                error(Map.of("ai-progress.async-timeout", "30 minutes")));
        assertEquals("ai-progress.async-timeout: must be greater than 0", error(Map.of("ai-progress.async-timeout", "0")));
        assertEquals("ai-progress.provider.scripted.idle-timeout: must be greater than 0",
                error(Map.of("ai-progress.provider.scripted.idle-timeout", "0ms")));
    }

    @Test
    void from_badUrls_nameKey() {
        assertEquals("ai-progress.provider.scripted.base-url: 'ftp://x' is not an absolute http/https URL",
                error(Map.of("ai-progress.provider.scripted.base-url", "ftp://x")));
        assertEquals("ai-progress.provider.scripted.base-url: 'http://a b' is not a valid URL",
                error(Map.of("ai-progress.provider.scripted.base-url", "http://a b")));
        assertEquals("ai-progress.cluster.redis-uri: 'http://cache' is not an absolute redis/rediss URL",
                error(Map.of("ai-progress.cluster.redis-uri", "http://cache")));
        assertEquals("ai-progress.origins: 'example.com' is not an origin (scheme://host[:port])",
                error(Map.of("ai-progress.origins", "example.com")));
    }

    @Test
    void from_badTagSettings_nameKey() {
        assertEquals("ai-progress.provider.scripted.tag-mode: unknown tag mode 'inline'; one of leading, anywhere",
                error(Map.of("ai-progress.provider.scripted.tag-mode", "inline")));
        assertEquals("ai-progress.provider.scripted.tags: tags: 'th<ink' is not an ASCII tag name",
                error(Map.of("ai-progress.provider.scripted.tags", "th<ink")));
        assertEquals("ai-progress.provider.scripted.start-in-reasoning: 'maybe' is not true or false",
                error(Map.of("ai-progress.provider.scripted.start-in-reasoning", "maybe")));
    }

    @Test
    void from_badOtherValues_nameKey() {
        assertEquals("ai-progress.chat.path: 'api' must start with / and hold no wildcard", error(Map.of("ai-progress.chat.path", "api")));
        assertEquals("ai-progress.demo.users: entry 2 is not name:password", error(Map.of("ai-progress.demo.users", "a:b,nopassword")));
        assertTrue(error(Map.of("ai-progress.config", "/no/such/file.properties"))
                .startsWith("ai-progress.config: cannot read '/no/such/file.properties'"));
    }
}
