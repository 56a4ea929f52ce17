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
 * Health from real generations only: a provider that went down (its last outcome an error) makes
 * the plugin not ready when it is the only one, and ready again after a later success. Also: the
 * metrics endpoint is off by default, and undeploy unregisters the MBeans.
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

    @Test
    void health_providerDownThenBack_is503WithItsCodeThen200Ok() throws Exception {
        try (MockUpstream upstream = MockUpstream.start(); EmbeddedJetty jetty = onePrimary(upstream).start()) {
            HttpClient anyone = jetty.newClient();
            HttpResponse<String> fresh = jetty.get(anyone, "/ai-progress/health");
            assertEquals(200, fresh.statusCode(), fresh.body());
            assertEquals("{\"status\":\"UP\",\"live\":true,\"ready\":true,\"providers\":{\"primary\":{\"last_outcome\":\"none\","
                    + "\"last_error_code\":null,\"at\":null}},\"cluster\":\"local\"}", fresh.body());
            assertEquals(0, upstream.requestCount(), "a probe never calls the upstream");

            HttpClient demo = jetty.newClient();
            assertEquals(200, jetty.login(demo, "demo", "demo").statusCode());
            upstream.enqueue(MockResponse.status(503).header("Content-Type", "application/json")
                    .body("{\"error\":{\"message\":\"busy\"}}").contentLength());
            assertFalse(Ops.chat(jetty, demo, Ops.userMessage("q", "")).getBoolean("success"));

            HttpResponse<String> down = jetty.get(anyone, "/ai-progress/health");
            assertEquals(503, down.statusCode(), down.body());
            JsonObject d = Ops.json(down.body());
            assertEquals("DOWN", d.getString("status"));
            assertTrue(d.getBoolean("live"));
            assertFalse(d.getBoolean("ready"));
            JsonObject primary = d.getJsonObject("providers").getJsonObject("primary");
            assertEquals("error", primary.getString("last_outcome"));
            assertEquals("AIP-010", primary.getString("last_error_code"));
            assertTrue(primary.getString("at").endsWith("Z"), primary.toString());
            assertFalse(down.body().contains("sk-health-secret"));
            assertFalse(down.body().contains("busy"), "no upstream message in the health body");

            upstream.enqueue(MockResponse.sse(MetricsWebTest.deepSeekStream()));
            assertTrue(Ops.chat(jetty, demo, Ops.userMessage("q", "")).getBoolean("success"));

            HttpResponse<String> back = jetty.get(anyone, "/ai-progress/health");
            assertEquals(200, back.statusCode(), back.body());
            JsonObject b = Ops.json(back.body());
            assertEquals("UP", b.getString("status"));
            assertEquals("ok", b.getJsonObject("providers").getJsonObject("primary").getString("last_outcome"));
            assertTrue(b.getJsonObject("providers").getJsonObject("primary").isNull("last_error_code"));
            assertEquals(2, upstream.requestCount(), "only the two real generations reached the upstream");
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
