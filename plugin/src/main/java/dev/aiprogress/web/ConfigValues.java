package dev.aiprogress.web;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The merged key/value view {@link Config} parses: typed reads that throw {@link ConfigException}
 * naming the key, and {@code ${env:NAME}} substitution. Error messages never quote a value that
 * may be secret (api keys are read with {@link #string} only and never echoed).
 */
final class ConfigValues {

    private static final Pattern ENV_REF = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    private final Map<String, String> raw;
    private final Function<String, Optional<String>> env;

    ConfigValues(Map<String, String> raw, Function<String, Optional<String>> env) {
        this.raw = Map.copyOf(raw);
        this.env = env;
    }

    Map<String, String> raw() {
        return raw;
    }

    /** The trimmed value with {@code ${env:NAME}} resolved; empty when unset or blank. */
    Optional<String> string(String key) {
        String value = raw.get(key);
        if (value == null) {
            return Optional.empty();
        }
        String resolved = substitute(key, value).trim();
        return resolved.isEmpty() ? Optional.empty() : Optional.of(resolved);
    }

    String string(String key, String fallback) {
        return string(key).orElse(fallback);
    }

    private String substitute(String key, String value) {
        Matcher m = ENV_REF.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String replacement = env.apply(name).orElseThrow(() ->
                    new ConfigException(key, "environment variable " + name + " is not set"));
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    int integer(String key, int fallback, int min, int max) {
        Optional<String> value = string(key);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.get());
            if (n < min || n > max) {
                throw new ConfigException(key, "must be between " + min + " and " + max + ", was " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "'" + value.get() + "' is not a whole number");
        }
    }

    boolean bool(String key, boolean fallback) {
        Optional<String> value = string(key);
        if (value.isEmpty()) {
            return fallback;
        }
        return switch (value.get().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new ConfigException(key, "'" + value.get() + "' is not true or false");
        };
    }

    /** {@code 500ms}, {@code 30s}, {@code 20m}, {@code 1h}; {@code 0} alone means zero. */
    Duration duration(String key, Duration fallback) {
        Optional<String> value = string(key);
        if (value.isEmpty()) {
            return fallback;
        }
        return parseDuration(key, value.get());
    }

    static Duration parseDuration(String key, String text) {
        if (text.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            throw new ConfigException(key, "'" + text + "' is not a duration (write e.g. 500ms, 30s, 20m, 1h)");
        }
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "'" + text + "' is too large");
        }
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    /** A duration as a user writes it: {@code 500ms}, {@code 30s}, {@code 20m}, {@code 1h}. */
    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 != 0) {
            return ms + "ms";
        }
        long s = ms / 1000;
        if (s % 3600 == 0 && s > 0) {
            return s / 3600 + "h";
        }
        return s % 60 == 0 && s > 0 ? s / 60 + "m" : s + "s";
    }

    /** An absolute {@code http}/{@code https} URL, or {@code redis}/{@code rediss} when asked. */
    Optional<URI> url(String key, List<String> schemes) {
        Optional<String> value = string(key);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(value.get());
            if (uri.getScheme() == null || !schemes.contains(uri.getScheme().toLowerCase(Locale.ROOT))
                    || uri.getHost() == null) {
                throw new ConfigException(key, "'" + redactUserInfo(value.get()) + "' is not an absolute "
                        + String.join("/", schemes) + " URL");
            }
            return Optional.of(uri);
        } catch (URISyntaxException e) {
            throw new ConfigException(key, "'" + redactUserInfo(value.get()) + "' is not a valid URL");
        }
    }

    /** URLs may carry a password ({@code redis://:pw@host}); error messages never show it. */
    private static String redactUserInfo(String url) {
        return url.replaceFirst("//[^/@]*@", "//***@");
    }

    /** A comma list, trimmed, blanks dropped. */
    List<String> list(String key, List<String> fallback) {
        Optional<String> value = string(key);
        if (value.isEmpty()) {
            return fallback;
        }
        return Arrays.stream(value.get().split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
