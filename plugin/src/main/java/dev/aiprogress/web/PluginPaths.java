package dev.aiprogress.web;

import java.util.List;

/** The HTTP paths of the plugin (Frappe's names, docs/CLIENT-PROTOCOL.md "HTTP endpoints"); the chat path is configurable. */
public final class PluginPaths {

    public static final String LOGIN = "/api/method/login";
    public static final String LOGOUT = "/api/method/logout";
    public static final String LOGGED_USER = "/api/method/frappe.auth.get_logged_user";
    public static final String TEST_STREAM = "/api/method/ai_assistant.api.test_reasoning_stream";
    public static final String CANCEL = "/api/method/ai_assistant.api.cancel";
    /** The configured providers and models, for pickers (no secrets). */
    public static final String PROVIDERS = "/ai-progress/providers";
    /** Prometheus text, when enabled, for the admin role (README "Operating it"). */
    public static final String METRICS = "/ai-progress/metrics";
    /** Liveness and readiness, open to anyone. */
    public static final String HEALTH = "/ai-progress/health";
    public static final String AGENT = "/api/method/oropendola_ai.oropendola_ai.api.vscode_extension.agent";

    /** Paths anyone may call: the filter resolves a user if it can but does not insist. */
    static final List<String> OPEN = List.of(LOGIN, LOGOUT, LOGGED_USER, PROVIDERS);

    /**
     * Paths whose body may carry the credentials (the agent's {@code api_key}): the filter lets
     * them through without a user; the servlet calls {@link Identity#requireUser}.
     */
    static final List<String> BODY_AUTHENTICATED = List.of(AGENT);

    private PluginPaths() {
    }

    /** Every path the identity filter guards. */
    static List<String> filtered(Config config) {
        return List.of(LOGIN, LOGOUT, LOGGED_USER, PROVIDERS, TEST_STREAM, CANCEL, AGENT, config.chatPath());
    }
}
