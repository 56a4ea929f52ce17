package dev.aiprogress.gateway;

import dev.aiprogress.provider.ChatProvider;
import dev.aiprogress.provider.ProviderSettings;

import java.util.Objects;

/** A provider with the settings the gateway routes by: its tag rules and model allow-list. */
public record ConfiguredProvider(ChatProvider provider, ProviderSettings settings) {
    public ConfiguredProvider {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(settings, "settings");
        if (!provider.name().equals(settings.name())) {
            throw new IllegalArgumentException("provider '" + provider.name() + "' has the settings of '"
                    + settings.name() + "'");
        }
    }

    public String name() {
        return settings.name();
    }

    /** Empty allow-list = any model. */
    boolean allows(String model) {
        return settings.models().isEmpty() || settings.models().contains(model);
    }

    /** The model to ask: the requested one, or the provider's default when the request names none. */
    String modelFor(String requested) {
        if (!requested.isBlank()) {
            return requested;
        }
        String configured = settings.defaultModel();
        return configured.isBlank() ? provider.defaultModel() : configured;
    }
}
