package dev.aiprogress.web;

import dev.aiprogress.provider.ProviderSettings;
import dev.aiprogress.stream.Coalescer;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * The plugin's whole configuration, parsed once at startup (docs/ARCHITECTURE.md; every key in README
 * "Configuration"). Sources, later wins:
 * built-in defaults → servlet context init params → the properties file named by
 * {@code ai-progress.config} → Java system properties. {@code ${env:NAME}} is resolved in any value.
 * Anything invalid is one {@link ConfigException} naming the key. {@link #toString()} prints no secret.
 *
 * @param origins extra origins allowed to POST ({@code scheme://host[:port]}); the request's own
 *                host is always allowed
 */
public record Config(
        List<ProviderSettings> providers,
        Coalescer.Options emit,
        boolean frappeEvents,
        Auth auth,
        Optional<URI> redisUri,
        String chatPath,
        Duration asyncTimeout,
        Limits limits,
        boolean register,
        List<String> origins,
        GatewayOptions gateway,
        RealtimeOptions realtime,
        DemoUsers demoUsers,
        Http http,
        Ops ops,
        LoginGuard login,
        Readiness readiness) {

    public static final String PREFIX = "ai-progress.";
    public static final String CONFIG_FILE_KEY = PREFIX + "config";

    public Config {
        providers = List.copyOf(providers);
        Objects.requireNonNull(emit, "emit");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(redisUri, "redisUri");
        Objects.requireNonNull(chatPath, "chatPath");
        Objects.requireNonNull(asyncTimeout, "asyncTimeout");
        Objects.requireNonNull(limits, "limits");
        origins = List.copyOf(origins);
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(realtime, "realtime");
        Objects.requireNonNull(demoUsers, "demoUsers");
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(ops, "ops");
        Objects.requireNonNull(login, "login");
        Objects.requireNonNull(readiness, "readiness");
    }

    /**
     * The failed-login slow-down (README "HTTP endpoints").
     *
     * @param maxFailuresPerUser    consecutive failures for one user name before it is locked
     * @param maxFailuresPerAddress failures from one client address before it is locked (higher:
     *                              many people may share an address)
     * @param lockout               the first lock; each further failure doubles it, up to 16 times
     */
    public record LoginGuard(int maxFailuresPerUser, int maxFailuresPerAddress, Duration lockout) {
        public LoginGuard {
            Objects.requireNonNull(lockout, "lockout");
        }
    }

    /**
     * What {@code /ai-progress/health} reports as ready. This node (started, not shutting down,
     * Redis reachable when configured) always counts; provider outcomes are information only unless
     * {@code providerFailures} is set.
     *
     * @param providerFailures 0 = providers never affect readiness; n = not ready once every
     *                         configured provider's last n real attempts all failed on the provider's side
     */
    public record Readiness(int providerFailures) {
    }

    /**
     * Operators' endpoints (README "Operating it").
     *
     * @param metricsEnabled {@code GET /ai-progress/metrics} answers (else 404)
     * @param metricsRole    the container role a caller of the metrics endpoint needs (else 403)
     * @param metricsBackend {@code auto} (Micrometer when it and its Prometheus registry are on the
     *                       classpath, else the plugin's own counters and JMX), {@code micrometer} or {@code plugin}
     */
    public record Ops(boolean metricsEnabled, String metricsRole, String metricsBackend) {
        public static final List<String> BACKENDS = List.of("auto", "micrometer", "plugin");

        public Ops {
            Objects.requireNonNull(metricsRole, "metricsRole");
            Objects.requireNonNull(metricsBackend, "metricsBackend");
        }
    }

    /**
     * The chat servlets' timing.
     *
     * @param heartbeat      while a reply is idle, one JSON-legal space (or an SSE comment) is written
     *                       this often: a container notices a vanished client only when it writes
     * @param testStreamStep the pause between the reasoning steps of {@code test_reasoning_stream}
     * @param upstreamThreads I/O threads of the upstream client; each reads its connections' responses
     *                       and runs their handling (decode, split, publish) itself, so a chunk never
     *                       changes threads
     */
    public record Http(Duration heartbeat, Duration testStreamStep, int upstreamThreads, Duration bodyTimeout,
                       int maxBufferedBytes) {
        /** The default of {@code http.body-timeout}: a whole request body must arrive within it. */
        public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(20);
        /** The default of {@code http.max-buffered-bytes}: SSE bytes queued for a client that does not read. */
        public static final int DEFAULT_MAX_BUFFERED_BYTES = 1 << 20;

        public Http {
            Objects.requireNonNull(heartbeat, "heartbeat");
            Objects.requireNonNull(testStreamStep, "testStreamStep");
            Objects.requireNonNull(bodyTimeout, "bodyTimeout");
            if (upstreamThreads < 1) {
                throw new IllegalArgumentException("upstreamThreads must be >= 1");
            }
        }

        public Http(Duration heartbeat, Duration testStreamStep, int upstreamThreads) {
            this(heartbeat, testStreamStep, upstreamThreads, DEFAULT_BODY_TIMEOUT, DEFAULT_MAX_BUFFERED_BYTES);
        }

        /** The default of {@code http.upstream-threads}: one per core. */
        public static int defaultUpstreamThreads() {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    /** Identity sources (docs/ARCHITECTURE.md; README "Identity and API tokens"). */
    public record Auth(Optional<String> sessionAttribute, Optional<Path> tokensFile, boolean allowGuest) {
        public Auth {
            Objects.requireNonNull(sessionAttribute, "sessionAttribute");
            Objects.requireNonNull(tokensFile, "tokensFile");
        }
    }

    /**
     * What one request may ask for.
     *
     * @param maxContentChars longest content of one message, in chars (text parts summed)
     * @param maxTokens       the highest {@code max_tokens} a request may ask for
     */
    public record Limits(int maxBodyBytes, int maxMessages, int maxContentChars, int maxTokens, int maxConcurrentPerUser) {
    }

    /** Options the gateway needs; the lead maps them onto the gateway's own record. */
    public record GatewayOptions(Duration firstTokenTimeout, int retries, Duration backoff) {
    }

    /** Options the realtime side needs; the lead maps them onto the realtime's own record. */
    public record RealtimeOptions(Duration pingInterval, Duration pingTimeout, int outboxMaxEvents,
                                  int outboxMaxBytes, Duration replayWindow, int maxSocketsPerUser,
                                  boolean perMessageDeflate) {
    }

    /** {@code ai-progress.demo.users}: name → password for the demo realm; toString hides passwords. */
    public record DemoUsers(Map<String, String> passwords) {
        public DemoUsers {
            passwords = Collections.unmodifiableMap(new LinkedHashMap<>(passwords));
        }

        @Override
        public String toString() {
            return "DemoUsers" + passwords.keySet();
        }
    }

    public Optional<ProviderSettings> provider(String name) {
        return providers.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    public List<String> providerNames() {
        return providers.stream().map(ProviderSettings::name).toList();
    }

    /** Connect bound when no HTTP provider is configured. */
    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /**
     * The connect timeout of the one upstream HTTP client all providers share: the largest
     * {@code connect-timeout} of the configured HTTP providers, so none gets less time than it
     * asked for. The JDK client fixes the connect timeout per client, not per request; a provider
     * that should give up sooner relies on the gateway's first-token timeout.
     */
    public Duration upstreamConnectTimeout() {
        return providers.stream().filter(p -> !p.dialect().equals("scripted")).map(ProviderSettings::connectTimeout)
                .max(Duration::compareTo).orElse(DEFAULT_CONNECT_TIMEOUT);
    }

    /** Reads and validates every source. */
    public static Config from(ConfigSources sources) {
        Objects.requireNonNull(sources, "sources");
        Map<String, String> merged = new LinkedHashMap<>(sources.contextParams());
        ConfigValues pathLookup = new ConfigValues(layer(sources.contextParams(), sources.systemProperties()), sources.env());
        Optional<String> file = pathLookup.string(CONFIG_FILE_KEY);
        if (file.isPresent()) {
            merged.putAll(readFile(file.get()));
        }
        merged.putAll(sources.systemProperties());
        warnAboutUnknownKeys(merged);
        return parse(new ConfigValues(merged, sources.env()));
    }

    /** Keys this version reads, besides {@code ai-progress.provider.<name>.<one of PROVIDER_KEYS>}. */
    static final List<String> KEYS = List.of("config", "providers", "emit.min-chars", "emit.interval-ms",
            "compat.frappe-events", "auth.session-attribute", "auth.tokens-file", "auth.allow-guest", "cluster.redis-uri",
            "chat.path", "async-timeout", "limits.max-body-bytes", "limits.max-messages", "limits.max-content-chars",
            "limits.max-tokens", "limits.max-concurrent-per-user", "register", "origins", "gateway.first-token-timeout",
            "gateway.retries", "gateway.backoff", "realtime.ping-interval", "realtime.ping-timeout",
            "realtime.outbox.max-events", "realtime.outbox.max-bytes", "realtime.replay-window",
            "realtime.max-sockets-per-user", "realtime.per-message-deflate", "demo.users", "http.heartbeat",
            "http.upstream-threads", "test-stream.step", "metrics.enabled", "metrics.role", "metrics.backend",
            "http.body-timeout", "http.max-buffered-bytes", "login.max-failures", "login.max-failures-per-address",
            "login.lockout", "health.ready-on-provider-failures");
    static final List<String> PROVIDER_KEYS = List.of("dialect", "base-url", "api-key", "model", "models", "tags",
            "tag-mode", "start-in-reasoning", "connect-timeout", "idle-timeout", "pacing");

    /** A typo must not pass silently; not an error, so newer keys do not break an older plugin. */
    private static void warnAboutUnknownKeys(Map<String, String> merged) {
        List<String> unknown = merged.keySet().stream().filter(k -> !isKnown(k)).sorted().toList();
        if (!unknown.isEmpty()) {
            System.getLogger(Config.class.getName()).log(System.Logger.Level.WARNING,
                    "AIP-003 unknown ai-progress configuration keys (ignored): " + unknown);
        }
    }

    static boolean isKnown(String key) {
        String rest = key.substring(PREFIX.length());
        if (KEYS.contains(rest)) {
            return true;
        }
        if (rest.startsWith("provider.")) {
            int dot = rest.lastIndexOf('.');
            return dot > "provider.".length() && PROVIDER_KEYS.contains(rest.substring(dot + 1));
        }
        return false;
    }

    private static Map<String, String> layer(Map<String, String> lower, Map<String, String> upper) {
        Map<String, String> m = new LinkedHashMap<>(lower);
        m.putAll(upper);
        return m;
    }

    private static Map<String, String> readFile(String pathText) {
        Path path;
        try {
            path = Path.of(pathText);
        } catch (InvalidPathException e) {
            throw new ConfigException(CONFIG_FILE_KEY, "'" + pathText + "' is not a valid path");
        }
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            props.load(in);
        } catch (IOException e) {
            throw new ConfigException(CONFIG_FILE_KEY, "cannot read '" + path + "': " + e.getMessage());
        }
        return ConfigSources.prefixed(props);
    }

    private static Config parse(ConfigValues v) {
        List<ProviderSettings> providers = ProviderConfigParser.parse(v);
        Coalescer.Options emit = new Coalescer.Options(
                v.integer(PREFIX + "emit.min-chars", 0, 0, 1_000_000),
                v.integer(PREFIX + "emit.interval-ms", 0, 0, 60_000));
        Auth auth = new Auth(v.string(PREFIX + "auth.session-attribute"),
                v.string(PREFIX + "auth.tokens-file").map(t -> path(PREFIX + "auth.tokens-file", t)),
                v.bool(PREFIX + "auth.allow-guest", false));
        Optional<URI> redis = v.url(PREFIX + "cluster.redis-uri", List.of("redis", "rediss"));
        String chatPath = v.string(PREFIX + "chat.path", "/api/method/ai_assistant.api.chat_completion");
        if (!chatPath.startsWith("/") || chatPath.contains("*")) {
            throw new ConfigException(PREFIX + "chat.path", "'" + chatPath + "' must start with / and hold no wildcard");
        }
        Duration asyncTimeout = v.duration(PREFIX + "async-timeout", Duration.ofMinutes(30));
        if (asyncTimeout.isZero()) {
            throw new ConfigException(PREFIX + "async-timeout", "must be greater than 0");
        }
        Limits limits = new Limits(
                v.integer(PREFIX + "limits.max-body-bytes", 1 << 20, 1024, Integer.MAX_VALUE),
                v.integer(PREFIX + "limits.max-messages", 500, 1, 100_000),
                v.integer(PREFIX + "limits.max-content-chars", 200_000, 1, Integer.MAX_VALUE),
                v.integer(PREFIX + "limits.max-tokens", 131_072, 1, Integer.MAX_VALUE),
                v.integer(PREFIX + "limits.max-concurrent-per-user", 4, 1, 10_000));
        List<String> origins = v.list(PREFIX + "origins", List.of());
        for (String origin : origins) {
            if (!origin.matches("https?://[^/\\s]+")) {
                throw new ConfigException(PREFIX + "origins", "'" + origin + "' is not an origin (scheme://host[:port])");
            }
        }
        GatewayOptions gateway = new GatewayOptions(
                v.duration(PREFIX + "gateway.first-token-timeout", Duration.ofSeconds(60)),
                v.integer(PREFIX + "gateway.retries", 2, 0, 10),
                v.duration(PREFIX + "gateway.backoff", Duration.ofMillis(500)));
        RealtimeOptions realtime = new RealtimeOptions(
                v.duration(PREFIX + "realtime.ping-interval", Duration.ofSeconds(25)),
                v.duration(PREFIX + "realtime.ping-timeout", Duration.ofSeconds(20)),
                v.integer(PREFIX + "realtime.outbox.max-events", 1000, 1, 1_000_000),
                v.integer(PREFIX + "realtime.outbox.max-bytes", 1 << 20, 1024, Integer.MAX_VALUE),
                positive(v, PREFIX + "realtime.replay-window", Duration.ofSeconds(60)),
                v.integer(PREFIX + "realtime.max-sockets-per-user", 32, 1, 100_000),
                v.bool(PREFIX + "realtime.per-message-deflate", false));
        Http http = new Http(positive(v, PREFIX + "http.heartbeat", Duration.ofSeconds(5)),
                positive(v, PREFIX + "test-stream.step", Duration.ofSeconds(1)),
                v.integer(PREFIX + "http.upstream-threads", Http.defaultUpstreamThreads(), 1, 1024),
                positive(v, PREFIX + "http.body-timeout", Http.DEFAULT_BODY_TIMEOUT),
                v.integer(PREFIX + "http.max-buffered-bytes", Http.DEFAULT_MAX_BUFFERED_BYTES, 1024, Integer.MAX_VALUE));
        LoginGuard login = new LoginGuard(v.integer(PREFIX + "login.max-failures", 5, 1, 1000),
                v.integer(PREFIX + "login.max-failures-per-address", 50, 1, 100_000),
                positive(v, PREFIX + "login.lockout", Duration.ofSeconds(30)));
        Readiness readiness = new Readiness(v.integer(PREFIX + "health.ready-on-provider-failures", 0, 0, 1000));
        String backend = v.string(PREFIX + "metrics.backend", "auto");
        if (!Ops.BACKENDS.contains(backend)) {
            throw new ConfigException(PREFIX + "metrics.backend", "'" + backend + "' is not one of " + Ops.BACKENDS);
        }
        Ops ops = new Ops(v.bool(PREFIX + "metrics.enabled", false),
                v.string(PREFIX + "metrics.role", "ai-progress-admin"), backend);
        return new Config(providers, emit, v.bool(PREFIX + "compat.frappe-events", true), auth, redis, chatPath,
                asyncTimeout, limits, v.bool(PREFIX + "register", true), origins, gateway, realtime,
                demoUsers(v.list(PREFIX + "demo.users", List.of("demo:demo"))), http, ops, login, readiness);
    }

    private static Duration positive(ConfigValues v, String key, Duration fallback) {
        Duration d = v.duration(key, fallback);
        if (d.isZero()) {
            throw new ConfigException(key, "must be greater than 0");
        }
        return d;
    }

    private static Path path(String key, String text) {
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw new ConfigException(key, "'" + text + "' is not a valid path");
        }
    }

    private static DemoUsers demoUsers(List<String> entries) {
        Map<String, String> users = new LinkedHashMap<>();
        for (String entry : entries) {
            int colon = entry.indexOf(':');
            if (colon <= 0 || colon == entry.length() - 1) {
                // never echo the entry: it holds a password
                throw new ConfigException(PREFIX + "demo.users", "entry " + (users.size() + 1) + " is not name:password");
            }
            users.put(entry.substring(0, colon), entry.substring(colon + 1));
        }
        return new DemoUsers(users);
    }

    /** The one startup log line: every option, no secret. */
    public String summary() {
        List<String> parts = new ArrayList<>();
        for (ProviderSettings p : providers) {
            parts.add(p.name() + "(" + p.dialect() + ", " + p.baseUrlForLogs() + ", model " + p.defaultModel()
                    + (p.apiKey().isPresent() ? ", key set" : "") + ")");
        }
        return "providers " + parts + ", emit " + emit.minChars() + "/" + emit.intervalMillis() + "ms"
                + ", frappe-events " + frappeEvents + ", auth " + auth + ", cluster "
                + (redisUri.isPresent() ? "redis" : "single node") + ", chat " + chatPath
                + ", async-timeout " + asyncTimeout + ", " + limits + ", register " + register
                + ", origins " + origins + ", " + gateway + ", " + realtime + ", demo users " + demoUsers.passwords().keySet()
                + ", " + http + ", " + ops + ", " + login + ", " + readiness;
    }

    /** Same as {@link #summary()}: records print their components, and redis URIs may hold a password. */
    @Override
    public String toString() {
        return "Config[" + summary() + "]";
    }
}
