package dev.aiprogress.demo;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Which providers the demo offers for a given environment. Checked on the parameters rather than
 * on a running server: the plugin resolves {@code ${env:…}} from the real process environment,
 * which a test cannot set.
 */
class DemoProvidersTest {

    @Test
    void defaults_noKeys_offersOnlyScripted() {
        Map<String, String> params = DemoProviders.defaults(Map.of());
        assertEquals("scripted", params.get("ai-progress.providers"));
        assertEquals("scripted", params.get("ai-progress.provider.scripted.dialect"));
        assertEquals("scripted-reasoner", params.get("ai-progress.provider.scripted.model"));
    }

    @Test
    void defaults_everyKey_offersEachRealProviderAfterScripted() {
        Map<String, String> params = DemoProviders.defaults(Map.of("DEEPSEEK_API_KEY", "k1", "OPENAI_API_KEY", "k2",
                "ANTHROPIC_API_KEY", "k3", "GEMINI_API_KEY", "k4", "OLLAMA_URL", "http://127.0.0.1:11434"));
        assertEquals("scripted,deepseek,openai,anthropic,gemini,ollama", params.get("ai-progress.providers"));
        assertEquals("${env:DEEPSEEK_API_KEY}", params.get("ai-progress.provider.deepseek.api-key"));
        assertEquals("https://api.deepseek.com", params.get("ai-progress.provider.deepseek.base-url"));
        assertEquals("anthropic", params.get("ai-progress.provider.anthropic.dialect"));
        assertEquals("${env:OLLAMA_URL}", params.get("ai-progress.provider.ollama.base-url"));
    }

    @Test
    void defaults_keysStayReferences_neverTheSecretItself() {
        Map<String, String> params = DemoProviders.defaults(Map.of("OPENAI_API_KEY", "sk-secret-value"));
        assertFalse(params.values().stream().anyMatch(v -> v.contains("sk-secret-value")), params.toString());
    }

    @Test
    void defaults_blankKey_isTreatedAsAbsent() {
        assertEquals("scripted", DemoProviders.defaults(Map.of("GEMINI_API_KEY", "  ")).get("ai-progress.providers"));
    }
}
