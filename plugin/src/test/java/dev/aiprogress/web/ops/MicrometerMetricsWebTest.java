package dev.aiprogress.web.ops;

import dev.aiprogress.testsupport.EmbeddedJetty;
import dev.aiprogress.testsupport.MockResponse;
import dev.aiprogress.testsupport.MockUpstream;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With Micrometer and its Prometheus registry on the classpath ({@code auto}), the endpoint is
 * Micrometer's scrape, with the same metric names as the plugin's own writer, and no MBeans.
 */
class MicrometerMetricsWebTest {

    @Test
    void metrics_withMicrometerOnTheClasspath_scrapesItsRegistryWithTheSameNames() throws Exception {
        try (MockUpstream upstream = MockUpstream.start();
             EmbeddedJetty jetty = EmbeddedJetty.builder()
                     .initParam("ai-progress.providers", "primary,scripted")
                     .initParam("ai-progress.provider.primary.dialect", "openai")
                     .initParam("ai-progress.provider.primary.base-url", upstream.baseUrl().toString())
                     .initParam("ai-progress.provider.primary.model", "deepseek-reasoner")
                     .initParam("ai-progress.provider.scripted.pacing", "0")
                     .initParam("ai-progress.gateway.retries", "0")
                     .initParam("ai-progress.metrics.enabled", "true")
                     .initParam("ai-progress.metrics.role", "user")
                     .start()) {
            assertFalse(ManagementFactory.getPlatformMBeanServer().isRegistered(JmxMetrics.name("Generations", "")));
            HttpClient demo = jetty.newClient();
            assertEquals(200, jetty.login(demo, "demo", "demo").statusCode());
            upstream.enqueue(MockResponse.status(503).header("Content-Type", "application/json")
                    .body("{\"error\":{\"message\":\"busy\"}}").contentLength());
            JsonObject m = Ops.chat(jetty, demo, Ops.userMessage("q", ""));
            assertTrue(m.getBoolean("success"), m.toString());

            HttpResponse<String> r = jetty.get(demo, "/ai-progress/metrics", Ops.basic("demo", "demo"));
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("micrometer", r.headers().firstValue("X-AI-Progress-Metrics").orElseThrow());
            Map<String, Double> s = Ops.samples(r.body());
            String model = m.getString("model");
            assertEquals(1, Ops.value(s, "ai_progress_generations_total{model=\"" + model
                    + "\",outcome=\"ok\",provider=\"scripted\"}"), r.body());
            assertEquals(1, Ops.value(s, "ai_progress_generations_started_total"), r.body());
            assertEquals(1, Ops.value(s, "ai_progress_fallbacks_total{from=\"primary\",to=\"scripted\"}"), r.body());
            assertEquals(1, Ops.value(s, "ai_progress_time_to_first_token_seconds_count{model=\"" + model
                    + "\",provider=\"scripted\"}"), r.body());
            assertEquals(0, Ops.value(s, "ai_progress_generations_active"), r.body());
            assertTrue(s.containsKey("ai_progress_sockets_open{transport=\"socketio\"}"), r.body());
            assertTrue(s.containsKey("ai_progress_events_delivered_total"), r.body());
            assertTrue(s.containsKey("ai_progress_outbox_overflow_closes_total"), r.body());
        }
    }
}
