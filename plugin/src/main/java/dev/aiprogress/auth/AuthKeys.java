package dev.aiprogress.auth;

import dev.aiprogress.config.ConfigException;
import dev.aiprogress.config.ConfigValues;
import dev.aiprogress.config.Key;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The configuration keys of identity, origins and login, each declared once, and how they become {@link AuthOptions}. */
public final class AuthKeys {

    public static final Key<String> SESSION_ATTRIBUTE = Key.optional("ai-progress.auth.session-attribute",
            (key, text) -> text, Key.NO_DEFAULT, "session attribute holding the user id, for apps with their own login");
    public static final Key<Path> TOKENS_FILE = Key.optional("ai-progress.auth.tokens-file", AuthKeys::path,
            Key.NO_DEFAULT, "file of hashed API tokens");
    public static final Key<Boolean> ALLOW_GUEST = Key.flag("ai-progress.auth.allow-guest", false,
            "unauthenticated callers become guest:<random id>, one per session or socket");
    public static final Key<List<String>> ORIGINS = Key.list("ai-progress.origins", List.of(),
            "extra origins allowed besides the request's own host (scheme://host[:port])")
            .requiring(origins -> origins.stream().allMatch(AuthKeys::isOrigin),
                    origins -> "'" + origins.stream().filter(o -> !isOrigin(o)).findFirst().orElseThrow()
                            + "' is not an origin (scheme://host[:port])");
    public static final Key<Integer> LOGIN_MAX_FAILURES = Key.integer("ai-progress.login.max-failures", 5, 1, 1000,
            "failed logins for one user name before further logins for it are refused");
    public static final Key<Integer> LOGIN_MAX_FAILURES_PER_ADDRESS = Key.integer(
            "ai-progress.login.max-failures-per-address", 50, 1, 100_000,
            "failed logins from one client address before further logins from it are refused");
    public static final Key<Duration> LOGIN_LOCKOUT = Key.positiveDuration("ai-progress.login.lockout",
            Duration.ofSeconds(30), "the first refusal period; each further failure doubles it, up to 16x");

    public static final List<Key<?>> ALL = List.of(SESSION_ATTRIBUTE, TOKENS_FILE, ALLOW_GUEST, ORIGINS,
            LOGIN_MAX_FAILURES, LOGIN_MAX_FAILURES_PER_ADDRESS, LOGIN_LOCKOUT);

    private AuthKeys() {
    }

    public static AuthOptions read(ConfigValues values) {
        return new AuthOptions(values.find(SESSION_ATTRIBUTE), values.find(TOKENS_FILE), values.get(ALLOW_GUEST),
                values.get(ORIGINS), new LoginGuard(values.get(LOGIN_MAX_FAILURES),
                values.get(LOGIN_MAX_FAILURES_PER_ADDRESS), values.get(LOGIN_LOCKOUT)));
    }

    private static boolean isOrigin(String text) {
        return text.matches("https?://[^/\\s]+");
    }

    private static Path path(String key, String text) {
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw new ConfigException(key, "'" + text + "' is not a valid path");
        }
    }
}
