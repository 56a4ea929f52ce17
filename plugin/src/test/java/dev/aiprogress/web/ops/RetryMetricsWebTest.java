package dev.aiprogress.web.ops;

import dev.aiprogress.testsupport.EmbeddedJetty;
import dev.aiprogress.testsupport.MockResponse;
import dev.aiprogress.testsupport.MockUpstream;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A 503 then a stream on the same provider: one retry, no fallback, one ok generation; readiness shows ok. */
class RetryMetricsWebTest {

    @Test
    void metrics_503ThenSuccessOnTheSameProvider_countsOneRetry() throws Exception {
        try (MockUpstream upstream = MockUpstream.start();
             EmbeddedJetty jetty = HealthWebTest.onePrimary(upstream)
                     .initParam("ai-progress.gateway.retries", "1")
                     .initParam("ai-progress.gateway.backoff", "10ms")
                     .initParam("ai-progress.metrics.enabled", "true")
                     .initParam("ai-progress.metrics.role", "user")
                     .start()) {
            HttpClient demo = jetty.newClient();
            assertEquals(200, jetty.login(demo, "demo", "demo").statusCode());
            upstream.enqueue(MockResponse.status(503).header("Content-Type", "application/json")
                    .body("{\"error\":{\"message\":\"busy\"}}").contentLength());
            upstream.enqueue(MockResponse.sse(MetricsWebTest.deepSeekStream()));
            JsonObject m = Ops.chat(jetty, demo, Ops.userMessage("q", ""));
            assertTrue(m.getBoolean("success"), m.toString());

            Map<String, Double> s = Ops.scrape(jetty, demo);
            assertEquals(1, Ops.value(s, "ai_progress_retries_total{provider=\"primary\"}"));
            assertEquals(1, Ops.value(s,
                    "ai_progress_generations_total{model=\"deepseek-reasoner\",outcome=\"ok\",provider=\"primary\"}"));
            assertTrue(s.keySet().stream().noneMatch(k -> k.startsWith("ai_progress_fallbacks_total")), s.toString());
            assertTrue(s.keySet().stream().noneMatch(k -> k.startsWith("ai_progress_errors_total")), s.toString());
            assertEquals(1L, ((Number) ManagementFactory.getPlatformMBeanServer()
                    .getAttribute(JmxMetrics.name("Generations", ""), "Retries")).longValue());
            assertEquals("ok", Ops.json(jetty.get(demo, "/ai-progress/health").body()).getJsonObject("providers")
                    .getJsonObject("primary").getString("last_outcome"));
        }
    }
}
