package dev.aiprogress.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One {@code ai-progress.*} configuration key, declared once beside the options it feeds: its name,
 * how its text is read (parser and bounds), its default and one line of documentation. The
 * package that owns an option declares its keys as constants and builds its options record from
 * them; {@code web.config} only gathers the tables. A test holds the README's configuration table
 * and the example {@code web.xml} against the declarations.
 *
 * <p>Per-provider keys are templates: their name holds {@link #NAME_PLACEHOLDER}, and
 * {@link #forName} makes the key of one provider.
 *
 * @param name              the full key, {@code ai-progress.…}
 * @param parser            text to value; throws a {@link ConfigException} naming the key
 * @param defaultValue      the value when the key is not set; empty when there is none, or when it
 *                          depends on other keys (then the owner computes it)
 * @param documentedDefault the default as the documentation shows it ({@code 30s}, {@code —},
 *                          or a sentence when the owner computes it)
 * @param doc               what the key does, in one line
 */
public record Key<T>(String name, Parser<T> parser, Optional<T> defaultValue, String documentedDefault, String doc) {

    public static final String PREFIX = "ai-progress.";
    /** Stands for a provider's name in a per-provider key: {@code ai-progress.provider.<n>.model}. */
    public static final String NAME_PLACEHOLDER = "<n>";
    /** How the documentation shows a key that has no default. */
    public static final String NO_DEFAULT = "—";

    /** Reads one value; {@code key} is the full name to put in the error. */
    @FunctionalInterface
    public interface Parser<T> {
        T parse(String key, String text);
    }

    public Key {
        Objects.requireNonNull(name, "name");
        if (!name.startsWith(PREFIX)) {
            throw new IllegalArgumentException("a key starts with " + PREFIX + ": " + name);
        }
        Objects.requireNonNull(parser, "parser");
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(documentedDefault, "documentedDefault");
        Objects.requireNonNull(doc, "doc");
    }

    /** A key with a default, documented as {@link #show} shows it. */
    public static <T> Key<T> of(String name, T defaultValue, Parser<T> parser, String doc) {
        return new Key<>(name, parser, Optional.of(defaultValue), show(defaultValue), doc);
    }

    /** A key without a fixed default: unset means absent, or a value its owner computes ({@code documentedDefault} says which). */
    public static <T> Key<T> optional(String name, Parser<T> parser, String documentedDefault, String doc) {
        return new Key<>(name, parser, Optional.empty(), documentedDefault, doc);
    }

    public static Key<Integer> integer(String name, int defaultValue, int min, int max, String doc) {
        return of(name, defaultValue, integerParser(min, max), doc);
    }

    public static Key<Boolean> flag(String name, boolean defaultValue, String doc) {
        return of(name, defaultValue, Key::parseFlag, doc);
    }

    /** A duration, {@code 0} allowed. */
    public static Key<Duration> duration(String name, Duration defaultValue, String doc) {
        return of(name, defaultValue, Durations::parse, doc);
    }

    /** A duration greater than zero. */
    public static Key<Duration> positiveDuration(String name, Duration defaultValue, String doc) {
        return of(name, defaultValue, Key::parsePositiveDuration, doc);
    }

    public static Key<String> text(String name, String defaultValue, String doc) {
        return of(name, defaultValue, (key, text) -> text, doc);
    }

    /** A comma list, trimmed, blanks dropped. */
    public static Key<List<String>> list(String name, List<String> defaultValue, String doc) {
        return of(name, List.copyOf(defaultValue), Key::parseList, doc);
    }

    /** An absolute URL of one of {@code schemes}; never quoted with its user-info in an error. */
    public static Key<URI> url(String name, List<String> schemes, String documentedDefault, String doc) {
        return optional(name, (key, text) -> parseUrl(key, text, schemes), documentedDefault, doc);
    }

    /** The same key whose values must also pass {@code ok}; {@code problem} says what is wrong with one that does not. */
    public Key<T> requiring(Predicate<? super T> ok, Function<? super T, String> problem) {
        Parser<T> base = parser;
        return new Key<>(name, (key, text) -> {
            T value = base.parse(key, text);
            if (!ok.test(value)) {
                throw new ConfigException(key, problem.apply(value));
            }
            return value;
        }, defaultValue, documentedDefault, doc);
    }

    /** The same key, documented with {@code text} as its default (a default computed at startup). */
    public Key<T> documentedAs(String text) {
        return new Key<>(name, parser, defaultValue, text, doc);
    }

    /** Whether this is a per-provider template ({@link #NAME_PLACEHOLDER} in the name). */
    public boolean isTemplate() {
        return name.contains(NAME_PLACEHOLDER);
    }

    /** The key of provider {@code providerName}, from a template. */
    public Key<T> forName(String providerName) {
        if (!isTemplate()) {
            throw new IllegalStateException(name + " is not a per-provider key");
        }
        return new Key<>(name.replace(NAME_PLACEHOLDER, providerName), parser, defaultValue, documentedDefault, doc);
    }

    /** Whether {@code fullName} is this key, or for a template the key of some provider. */
    public boolean matches(String fullName) {
        if (!isTemplate()) {
            return name.equals(fullName);
        }
        int at = name.indexOf(NAME_PLACEHOLDER);
        String before = name.substring(0, at);
        String after = name.substring(at + NAME_PLACEHOLDER.length());
        return fullName.length() > before.length() + after.length()
                && fullName.startsWith(before) && fullName.endsWith(after);
    }

    /** A default as configuration would write it. */
    static String show(Object value) {
        if (value instanceof Duration d) {
            return Durations.format(d);
        }
        if (value instanceof Enum<?> e) {
            return e.name().toLowerCase(Locale.ROOT);
        }
        if (value instanceof List<?> list) {
            return list.isEmpty() ? "empty" : String.join(",", list.stream().map(String::valueOf).toList());
        }
        return String.valueOf(value);
    }

    static Parser<Integer> integerParser(int min, int max) {
        return (key, text) -> {
            int n;
            try {
                n = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new ConfigException(key, "'" + text + "' is not a whole number");
            }
            if (n < min || n > max) {
                throw new ConfigException(key, "must be between " + min + " and " + max + ", was " + n);
            }
            return n;
        };
    }

    static boolean parseFlag(String key, String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new ConfigException(key, "'" + text + "' is not true or false");
        };
    }

    static Duration parsePositiveDuration(String key, String text) {
        Duration d = Durations.parse(key, text);
        if (d.isZero()) {
            throw new ConfigException(key, "must be greater than 0");
        }
        return d;
    }

    static List<String> parseList(String key, String text) {
        return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    static URI parseUrl(String key, String text, List<String> schemes) {
        try {
            URI uri = new URI(text);
            if (uri.getScheme() == null || !schemes.contains(uri.getScheme().toLowerCase(Locale.ROOT))
                    || uri.getHost() == null) {
                throw new ConfigException(key, "'" + redactUserInfo(text) + "' is not an absolute "
                        + String.join("/", schemes) + " URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigException(key, "'" + redactUserInfo(text) + "' is not a valid URL");
        }
    }

    /** URLs may carry a password ({@code redis://:pw@host}); error messages never show it. */
    private static String redactUserInfo(String url) {
        return url.replaceFirst("//[^/@]*@", "//***@");
    }
}
