package dev.aiprogress.demo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's default configuration: the offline {@code scripted} provider first (so it works with
 * no key and no network), then each real provider whose key is in the environment. Keys stay
 * {@code ${env:NAME}} references: the plugin resolves them and never prints them.
 */
final class DemoProviders {

    private DemoProviders() {
    }

    static Map<String, String> defaults(Map<String, String> env) {
        Map<String, String> params = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        names.add("scripted");
        params.put("ai-progress.provider.scripted.dialect", "scripted");
        params.put("ai-progress.provider.scripted.model", "scripted-reasoner");
        params.put("ai-progress.provider.scripted.models",
                "scripted-reasoner,scripted-inline,scripted-tools,scripted-slow,scripted-fail");
        // paced like a real model, so the live reasoning is visible
        params.put("ai-progress.provider.scripted.pacing", "30ms");

        if (present(env, "DEEPSEEK_API_KEY")) {
            names.add("deepseek");
            remote(params, "deepseek", "openai", "https://api.deepseek.com", "DEEPSEEK_API_KEY", "deepseek-reasoner");
        }
        if (present(env, "OPENAI_API_KEY")) {
            names.add("openai");
            remote(params, "openai", "openai", "https://api.openai.com/v1", "OPENAI_API_KEY", "gpt-4o-mini");
        }
        if (present(env, "ANTHROPIC_API_KEY")) {
            names.add("anthropic");
            remote(params, "anthropic", "anthropic", "https://api.anthropic.com", "ANTHROPIC_API_KEY", "claude-sonnet-4-5");
        }
        if (present(env, "GEMINI_API_KEY")) {
            names.add("gemini");
            remote(params, "gemini", "gemini", "https://generativelanguage.googleapis.com", "GEMINI_API_KEY", "gemini-2.5-flash");
        }
        if (present(env, "OLLAMA_URL")) {
            names.add("ollama");
            params.put("ai-progress.provider.ollama.dialect", "ollama");
            params.put("ai-progress.provider.ollama.base-url", "${env:OLLAMA_URL}");
            params.put("ai-progress.provider.ollama.model", env.getOrDefault("OLLAMA_MODEL", "qwen3"));
        }
        params.put("ai-progress.providers", String.join(",", names));
        return params;
    }

    private static void remote(Map<String, String> params, String name, String dialect, String baseUrl, String keyVar,
                               String model) {
        String prefix = "ai-progress.provider." + name + ".";
        params.put(prefix + "dialect", dialect);
        params.put(prefix + "base-url", baseUrl);
        params.put(prefix + "api-key", "${env:" + keyVar + "}");
        params.put(prefix + "model", model);
    }

    private static boolean present(Map<String, String> env, String name) {
        String value = env.get(name);
        return value != null && !value.isBlank();
    }
}
