package dev.aiprogress.config;

/**
 * Invalid configuration. The message always starts with the key that is wrong, so one line in the
 * deployment log says what to fix; it never contains a secret value.
 */
public final class ConfigException extends RuntimeException {

    private final String key;

    public ConfigException(String key, String problem) {
        super(key + ": " + problem);
        this.key = key;
    }

    /** The configuration key that is wrong. */
    public String key() {
        return key;
    }
}
