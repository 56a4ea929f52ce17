package dev.aiprogress.web;

import dev.aiprogress.web.http.PluginPaths;

import dev.aiprogress.testsupport.EmbeddedJetty;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** TRACE is refused on every plugin path (it would echo Cookie and Authorization) and every reply is nosniff. */
class SecurityHeadersWebTest {

    static final List<String> PATHS = List.of(PluginPaths.LOGIN, PluginPaths.LOGOUT, PluginPaths.LOGGED_USER,
            ChatWeb.CHAT, ChatWeb.CANCEL, ChatWeb.TEST_STREAM, ChatWeb.AGENT, PluginPaths.PROVIDERS,
            PluginPaths.HEALTH, PluginPaths.METRICS);

    @Test
    void trace_everyPluginPath_is405WithoutEchoingCredentials() throws Exception {
        try (EmbeddedJetty jetty = EmbeddedJetty.builder().start()) {
            HttpClient client = jetty.newClient();
            assertEquals(200, jetty.login(client, "demo", "demo").statusCode());
            for (String path : PATHS) {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(jetty.uri(path))
                        .method("TRACE", HttpRequest.BodyPublishers.noBody())
                        .header("Authorization", "token key:trace-secret").build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(405, r.statusCode(), path + " " + r.body());
                assertFalse(r.body().contains("trace-secret"), r.body());
                assertFalse(r.body().contains("sid="), r.body());
                assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""), path);
            }
        }
    }

    @Test
    void jsonReplies_areNosniff() throws Exception {
        try (EmbeddedJetty jetty = EmbeddedJetty.builder().start()) {
            HttpClient client = jetty.newClient();
            for (HttpResponse<String> r : List.of(jetty.login(client, "demo", "demo"),
                    jetty.get(client, PluginPaths.HEALTH), jetty.get(client, PluginPaths.PROVIDERS),
                    jetty.postJson(client, ChatWeb.CHAT, "null"))) {
                assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""), r.uri().toString());
            }
        }
    }
}
