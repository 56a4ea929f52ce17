package dev.aiprogress.config;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The merged key/value view that options are read from: {@link #get}/{@link #find} read a
 * declared {@link Key}, with {@code ${env:NAME}} substituted and blank values counted as unset.
 * Error messages never quote a value that may be secret (api keys are plain text keys, which never
 * fail, and URLs are shown without their user-info).
 */
public final class ConfigValues {

    private static final Pattern ENV_REF = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");

    private final Map<String, String> raw;
    private final Function<String, Optional<String>> env;

    public ConfigValues(Map<String, String> raw, Function<String, Optional<String>> env) {
        this.raw = Map.copyOf(raw);
        this.env = env;
    }

    /** Only these values, no environment: every key's default for an empty map. */
    public static ConfigValues of(Map<String, String> raw) {
        return new ConfigValues(raw, name -> Optional.empty());
    }

    /** The value of {@code key}, or its default; for keys that have one. */
    public <T> T get(Key<T> key) {
        return find(key).orElseThrow(() -> new IllegalStateException(key.name() + " has no default: use find"));
    }

    /** The value of {@code key} when set, else its default when it has one. */
    public <T> Optional<T> find(Key<T> key) {
        Optional<String> text = text(key.name());
        return text.isPresent() ? Optional.of(key.parser().parse(key.name(), text.get())) : key.defaultValue();
    }

    /** The trimmed text of {@code name} with {@code ${env:NAME}} resolved; empty when unset or blank. */
    public Optional<String> text(String name) {
        String value = raw.get(name);
        if (value == null) {
            return Optional.empty();
        }
        String resolved = substitute(name, value).trim();
        return resolved.isEmpty() ? Optional.empty() : Optional.of(resolved);
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
}
