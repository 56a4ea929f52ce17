package dev.aiprogress.web.config;

import dev.aiprogress.auth.AuthKeys;
import dev.aiprogress.auth.AuthOptions;
import dev.aiprogress.cluster.ClusterKeys;
import dev.aiprogress.config.ConfigException;
import dev.aiprogress.config.ConfigValues;
import dev.aiprogress.config.Key;
import dev.aiprogress.gateway.GatewayKeys;
import dev.aiprogress.gateway.GatewayOptions;
import dev.aiprogress.provider.ProviderSettings;
import dev.aiprogress.provider.catalog.ProviderKeys;
import dev.aiprogress.realtime.RealtimeKeys;
import dev.aiprogress.realtime.RealtimeOptions;
import dev.aiprogress.web.http.HttpKeys;
import dev.aiprogress.web.http.HttpOptions;
import dev.aiprogress.web.ops.OpsKeys;
import dev.aiprogress.web.ops.OpsOptions;

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
import java.util.stream.Stream;

/**
 * The plugin's whole configuration, read once at startup: the options record of every part, each
 * read by the key table of the package that owns it ({@link ProviderKeys}, {@link GatewayKeys},
 * {@link RealtimeKeys}, {@link AuthKeys}, {@link ClusterKeys}, {@link HttpKeys}, {@link OpsKeys},
 * and this class's own three keys). Sources, later wins: built-in defaults → servlet context init
 * params → the properties file named by {@code ai-progress.config} → Java system properties;
 * {@code ${env:NAME}} is resolved in any value. Anything invalid is one {@link ConfigException}
 * naming the key. {@link #toString()} prints no secret.
 *
 * @param upstreamThreads I/O threads of the upstream client all HTTP providers share
 * @param redisUri        the Redis that routes events across nodes; empty on a single node
 * @param register        register servlets, filters, listener and endpoints automatically
 */
public record Config(
        List<ProviderSettings> providers,
        int upstreamThreads,
        GatewayOptions gateway,
        RealtimeOptions realtime,
        AuthOptions auth,
        HttpOptions http,
        OpsOptions ops,
        Optional<URI> redisUri,
        boolean register,
        DemoUsers demoUsers) {

    public static final String PREFIX = Key.PREFIX;

    public static final Key<String> CONFIG_FILE = Key.optional("ai-progress.config", (key, text) -> text,
            Key.NO_DEFAULT, "path of a properties file with more keys");
    public static final Key<Boolean> REGISTER = Key.flag("ai-progress.register", true,
            "register servlets, filter, listener and WebSocket endpoints automatically");
    public static final Key<DemoUsers> DEMO_USERS = Key.of("ai-progress.demo.users",
            new DemoUsers(Map.of("demo", "demo")), Config::demoUsers, "demo runner only: name:password,...")
            .documentedAs("demo:demo");

    /** The name of {@link #CONFIG_FILE}. */
    public static final String CONFIG_FILE_KEY = CONFIG_FILE.name();

    /** Every key this version reads; per-provider keys as templates ({@code ai-progress.provider.<n>.…}). */
    public static final List<Key<?>> KEYS = Stream.of(List.of(CONFIG_FILE, REGISTER, DEMO_USERS), ProviderKeys.ALL,
            GatewayKeys.ALL, RealtimeKeys.ALL, AuthKeys.ALL, ClusterKeys.ALL, HttpKeys.ALL, OpsKeys.ALL)
            .flatMap(List::stream).toList();

    public Config {
        providers = List.copyOf(providers);
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(realtime, "realtime");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(ops, "ops");
        Objects.requireNonNull(redisUri, "redisUri");
        Objects.requireNonNull(demoUsers, "demoUsers");
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

    /** The connect timeout of the one upstream client: see {@link ProviderKeys#upstreamConnectTimeout}. */
    public Duration upstreamConnectTimeout() {
        return ProviderKeys.upstreamConnectTimeout(providers);
    }

    /** Reads and validates every source. */
    public static Config from(ConfigSources sources) {
        Objects.requireNonNull(sources, "sources");
        Map<String, String> merged = new LinkedHashMap<>(sources.contextParams());
        ConfigValues pathLookup = new ConfigValues(layer(sources.contextParams(), sources.systemProperties()), sources.env());
        Optional<String> file = pathLookup.find(CONFIG_FILE);
        if (file.isPresent()) {
            merged.putAll(readFile(file.get()));
        }
        merged.putAll(sources.systemProperties());
        warnAboutUnknownKeys(merged);
        return read(new ConfigValues(merged, sources.env()));
    }

    /** Whether this version reads {@code name}. */
    public static boolean isKnown(String name) {
        return KEYS.stream().anyMatch(key -> key.matches(name));
    }

    /** A typo must not pass silently; not an error, so newer keys do not break an older plugin. */
    private static void warnAboutUnknownKeys(Map<String, String> merged) {
        List<String> unknown = merged.keySet().stream().filter(k -> !isKnown(k)).sorted().toList();
        if (!unknown.isEmpty()) {
            System.getLogger(Config.class.getName()).log(System.Logger.Level.WARNING,
                    "AIP-003 unknown ai-progress configuration keys (ignored): " + unknown);
        }
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

    private static Config read(ConfigValues values) {
        List<ProviderSettings> providers = ProviderKeys.read(values);
        List<String> order = providers.stream().map(ProviderSettings::name).toList();
        AuthOptions auth = AuthKeys.read(values);
        return new Config(providers, values.get(ProviderKeys.UPSTREAM_THREADS), GatewayKeys.read(values, order),
                RealtimeKeys.read(values, auth.origins()), auth, HttpKeys.read(values), OpsKeys.read(values),
                values.find(ClusterKeys.REDIS_URI), values.get(REGISTER), values.get(DEMO_USERS));
    }

    private static DemoUsers demoUsers(String key, String text) {
        Map<String, String> users = new LinkedHashMap<>();
        for (String entry : text.split(",")) {
            entry = entry.trim();
            if (entry.isEmpty()) {
                continue;
            }
            int colon = entry.indexOf(':');
            if (colon <= 0 || colon == entry.length() - 1) {
                // never echo the entry: it holds a password
                throw new ConfigException(key, "entry " + (users.size() + 1) + " is not name:password");
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
        return "providers " + parts + ", upstream-threads " + upstreamThreads + ", " + gateway + ", " + realtime
                + ", " + auth + ", cluster " + (redisUri.isPresent() ? "redis" : "single node") + ", " + http
                + ", " + ops + ", register " + register + ", demo users " + demoUsers.passwords().keySet();
    }

    /** Same as {@link #summary()}: records print their components, and redis URIs may hold a password. */
    @Override
    public String toString() {
        return "Config[" + summary() + "]";
    }
}
