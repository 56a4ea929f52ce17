package dev.aiprogress.web.ops;

import dev.aiprogress.testsupport.EmbeddedJetty;
import dev.aiprogress.testsupport.MockResponse;
import dev.aiprogress.testsupport.MockUpstream;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Readiness is this node's (started, not stopping, cluster bus up); provider outcomes from real
 * generations are in the body as information, and count for readiness only when the operator opts
 * in with a threshold; a failure the request caused never counts. Also: the metrics endpoint is
 * off by default, and undeploy unregisters the MBeans.
 */
class HealthWebTest {

    static EmbeddedJetty.Builder onePrimary(MockUpstream upstream) {
        return EmbeddedJetty.builder()
                .initParam("ai-progress.providers", "primary")
                .initParam("ai-progress.provider.primary.dialect", "openai")
                .initParam("ai-progress.provider.primary.base-url", upstream.baseUrl().toString())
                .initParam("ai-progress.provider.primary.api-key", "sk-health-secret")
                .initParam("ai-progress.provider.primary.model", "deepseek-reasoner")
                .initParam("ai-progress.gateway.retries", "0")
                .initParam("ai-progress.metrics.backend", "plugin");
    }

    static HttpResponse<String> failWith(MockUpstream upstream, EmbeddedJetty jetty, HttpClient demo, int status,
                                         String model) throws Exception {
        upstream.enqueue(MockResponse.status(status).header("Content-Type", "application/json")
                .body("{\"error\":{\"message\":\"busy\"}}").contentLength());
        assertFalse(Ops.chat(jetty, demo, Ops.userMessage("q", model.isEmpty() ? "" : "\"model\":\"" + model + "\""))
                .getBoolean("success"));
        return jetty.get(jetty.newClient(), "/ai-progress/health");
    }

    @Test
    void health_providerFailure_byDefault_staysReadyWithTheOutcomeInTheBody() throws Exception {
        try (MockUpstream upstream = MockUpstream.start(); EmbeddedJetty jetty = onePrimary(upstream).start()) {
            HttpClient anyone = jetty.newClient();
            HttpResponse<String> fresh = jetty.get(anyone, "/ai-progress/health");
            assertEquals(200, fresh.statusCode(), fresh.body());
            assertEquals("{\"status\":\"UP\",\"live\":true,\"ready\":true,\"providers\":{\"primary\":{\"last_outcome\":\"none\","
                    + "\"last_error_code\":null,\"at\":null}},\"cluster\":\"local\"}", fresh.body());
            assertEquals(0, upstream.requestCount(), "a probe never calls the upstream");

            HttpClient demo = jetty.newClient();
            assertEquals(200, jetty.login(demo, "demo", "demo").statusCode());
            HttpResponse<String> after = failWith(upstream, jetty, demo, 503, "");
            // every node shares the providers: one failed answer must not take this node out of a balancer
            assertEquals(200, after.statusCode(), after.body());
            JsonObject d = Ops.json(after.body());
            assertEquals("UP", d.getString("status"));
            JsonObject primary = d.getJsonObject("providers").getJsonObject("primary");
            assertEquals("error", primary.getString("last_outcome"));
            assertEquals("AIP-010", primary.getString("last_error_code"));
            assertTrue(primary.getString("at").endsWith("Z"), primary.toString());
            assertFalse(after.body().contains("sk-health-secret"));
            assertFalse(after.body().contains("busy"), "no upstream message in the health body");
        }
    }

    @Test
    void health_optedIn_notReadyAfterThresholdFailuresInARow_readyAgainAfterASuccess() throws Exception {
        try (MockUpstream upstream = MockUpstream.start();
             EmbeddedJetty jetty = onePrimary(upstream).initParam("ai-progress.health.ready-on-provider-failures", "2").start()) {
            HttpClient demo = jetty.newClient();
            assertEquals(200, jetty.login(demo, "demo", "demo").statusCode());
            assertEquals(200, failWith(upstream, jetty, demo, 503, "").statusCode());
            HttpResponse<String> down = failWith(upstream, jetty, demo, 500, "");
            assertEquals(503, down.statusCode(), down.body());
            JsonObject d = Ops.json(down.body());
            assertEquals("DOWN", d.getString("status"));
            assertTrue(d.getBoolean("live"));
            assertFalse(d.getBoolean("ready"));

            upstream.enqueue(MockResponse.sse(MetricsWebTest.deepSeekStream()));
            assertTrue(Ops.chat(jetty, demo, Ops.userMessage("q", "")).getBoolean("success"));
            HttpResponse<String> back = jetty.get(jetty.newClient(), "/ai-progress/health");
            assertEquals(200, back.statusCode(), back.body());
            JsonObject b = Ops.json(back.body());
            assertEquals("ok", b.getJsonObject("providers").getJsonObject("primary").getString("last_outcome"));
            assertTrue(b.getJsonObject("providers").getJsonObject("primary").isNull("last_error_code"));
            assertEquals(3, upstream.requestCount(), "only the real generations reached the upstream");
        }
    }

    @Test
    void health_requestCausedUpstream4xx_neverCountsAsAProviderFailure() throws Exception {
        try (MockUpstream upstream = MockUpstream.start();
             EmbeddedJetty jetty = onePrimary(upstream).initParam("ai-progress.health.ready-on-provider-failures", "1").start()) {
            HttpClient demo = jetty.newClient();
            assertEquals(200, jetty.login(demo, "demo", "demo").statusCode());
            // a model the upstream does not know, and a request it calls malformed: the caller's fault
            assertEquals(200, failWith(upstream, jetty, demo, 404, "no-such-model").statusCode());
            HttpResponse<String> after = failWith(upstream, jetty, demo, 400, "");
            assertEquals(200, after.statusCode(), after.body());
            assertEquals("none", Ops.json(after.body()).getJsonObject("providers").getJsonObject("primary")
                    .getString("last_outcome"));
            // the provider's own failure still counts
            assertEquals(503, failWith(upstream, jetty, demo, 401, "").statusCode());
        }
    }

    @Test
    void health_clusterBusDown_is503WithItsState() throws Exception {
        try (MockUpstream upstream = MockUpstream.start(); EmbeddedJetty jetty = onePrimary(upstream).start()) {
            Operations ops = Operations.of(jetty.context().getServletContext()).orElseThrow();
            ops.clusterState(() -> "down");
            HttpResponse<String> down = jetty.get(jetty.newClient(), "/ai-progress/health");
            assertEquals(503, down.statusCode(), down.body());
            assertEquals("down", Ops.json(down.body()).getString("cluster"));
            ops.clusterState(() -> "up");
            HttpResponse<String> up = jetty.get(jetty.newClient(), "/ai-progress/health");
            assertEquals(200, up.statusCode(), up.body());
            assertEquals("up", Ops.json(up.body()).getString("cluster"));
        }
    }

    @Test
    void metrics_byDefault_is404() throws Exception {
        try (MockUpstream upstream = MockUpstream.start(); EmbeddedJetty jetty = onePrimary(upstream).start()) {
            HttpResponse<String> r = jetty.get(jetty.newClient(), "/ai-progress/metrics", Ops.basic("demo", "demo"));
            assertEquals(404, r.statusCode());
        }
    }

    @Test
    void undeploy_unregistersTheMBeans() throws Exception {
        try (MockUpstream upstream = MockUpstream.start(); EmbeddedJetty jetty = onePrimary(upstream).start()) {
            var server = ManagementFactory.getPlatformMBeanServer();
            assertTrue(server.isRegistered(JmxMetrics.name("Generations", "")));
            assertTrue(server.isRegistered(JmxMetrics.name("Realtime", "")));
            jetty.undeploy();
            assertFalse(server.isRegistered(JmxMetrics.name("Generations", "")));
            assertFalse(server.isRegistered(JmxMetrics.name("Realtime", "")));
            HttpResponse<String> r = jetty.get(jetty.newClient(), "/ai-progress/health");
            assertFalse(r.statusCode() == 200, r.body());
        }
    }
}
