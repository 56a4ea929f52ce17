package dev.aiprogress.web.config;

import jakarta.servlet.ServletContext;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;

/**
 * Where configuration comes from, before parsing: servlet context init params, Java system
 * properties and an environment lookup (for {@code ${env:NAME}}). The properties file named by
 * {@code ai-progress.config} is read by {@link Config#from(ConfigSources)} because its path is
 * itself configuration.
 *
 * @param contextParams    {@code ai-progress.*} servlet context init params
 * @param systemProperties {@code ai-progress.*} Java system properties
 * @param env              environment lookup; tests pass a map
 */
public record ConfigSources(
        Map<String, String> contextParams,
        Map<String, String> systemProperties,
        Function<String, Optional<String>> env) {

    public ConfigSources {
        contextParams = Collections.unmodifiableMap(new LinkedHashMap<>(contextParams));
        systemProperties = Collections.unmodifiableMap(new LinkedHashMap<>(systemProperties));
        Objects.requireNonNull(env, "env");
    }

    /** Only the given init params (tests): no system properties, an empty environment. */
    public static ConfigSources ofParams(Map<String, String> contextParams) {
        return new ConfigSources(contextParams, Map.of(), name -> Optional.empty());
    }

    /** What a deployed plugin sees: the context's init params, the JVM's properties and environment. */
    public static ConfigSources of(ServletContext context) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String name : Collections.list(context.getInitParameterNames())) {
            if (name.startsWith(Config.PREFIX)) {
                params.put(name, context.getInitParameter(name));
            }
        }
        return new ConfigSources(params, prefixed(System.getProperties()),
                name -> Optional.ofNullable(System.getenv(name)));
    }

    static Map<String, String> prefixed(Properties properties) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : properties.stringPropertyNames()) {
            if (name.startsWith(Config.PREFIX)) {
                out.put(name, properties.getProperty(name));
            }
        }
        return out;
    }

    /** toString never prints values: they may hold secrets. */
    @Override
    public String toString() {
        return "ConfigSources[contextParams=" + contextParams.keySet() + ", systemProperties="
                + systemProperties.keySet() + "]";
    }
}
