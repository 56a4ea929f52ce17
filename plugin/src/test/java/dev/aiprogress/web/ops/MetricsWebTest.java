package dev.aiprogress.web.ops;

import dev.aiprogress.web.http.HttpServices;

import dev.aiprogress.testsupport.EmbeddedJetty;
import dev.aiprogress.testsupport.MockResponse;
import dev.aiprogress.testsupport.MockUpstream;
import dev.aiprogress.testsupport.OpenAiStream;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The metrics endpoint (the plugin's own Prometheus writer) and the JMX MBeans after real
 * generations: success, fallback, upstream error, cancel. Each test compares counts before and
 * after its own generation, so the order of the tests does not matter.
 */
class MetricsWebTest {

    static final String KEY = "sk-live-metrics-0123456789";

    static MockUpstream upstream;
    static EmbeddedJetty jetty;
    static HttpClient demo;
    static final MBeanServer MBEANS = ManagementFactory.getPlatformMBeanServer();
    static final ObjectName GENERATIONS = JmxMetrics.name("Generations", "");
    static final ObjectName REALTIME = JmxMetrics.name("Realtime", "");

    @BeforeAll
    static void start() throws Exception {
        upstream = MockUpstream.start();
        jetty = EmbeddedJetty.builder()
                .initParam("ai-progress.providers", "primary,scripted")
                .initParam("ai-progress.provider.primary.dialect", "openai")
                .initParam("ai-progress.provider.primary.base-url", upstream.baseUrl().toString())
                .initParam("ai-progress.provider.primary.api-key", KEY)
                .initParam("ai-progress.provider.primary.model", "deepseek-reasoner")
                .initParam("ai-progress.provider.scripted.pacing", "0")
                .initParam("ai-progress.gateway.retries", "0")
                .initParam("ai-progress.gateway.first-token-timeout", "5s")
                .initParam("ai-progress.metrics.enabled", "true")
                .initParam("ai-progress.metrics.role", "user")
                .initParam("ai-progress.metrics.backend", "plugin")
                .start();
        demo = jetty.newClient();
        assertEquals(200, jetty.login(demo, "demo", "demo").statusCode());
    }

    @AfterAll
    static void stop() throws Exception {
        jetty.stop();
        upstream.close();
    }

    static String deepSeekStream() {
        return OpenAiStream.create("deepseek-reasoner").role()
                .reasoning("Okay, compare 9.11 and 9.9: ").reasoning("9.90 > 9.11.")
                .content("9.9 is larger ").content("than 9.11.")
                .finish("stop").usage(20, 9, 4).done().build();
    }

    static long mbean(ObjectName name, String attribute) throws Exception {
        return ((Number) MBEANS.getAttribute(name, attribute)).longValue();
    }

    static long mbeanMap(ObjectName name, String attribute, String key) throws Exception {
        TabularData table = (TabularData) MBEANS.getAttribute(name, attribute);
        for (Object row : table.values()) {
            CompositeData d = (CompositeData) row;
            if (key.equals(d.get("key"))) {
                return ((Number) d.get("value")).longValue();
            }
        }
        return 0L;
    }

    @Test
    void metrics_afterAnUpstreamSuccess_countsOneOkGenerationWithItsTimings() throws Exception {
        Map<String, Double> before = Ops.scrape(jetty, demo);
        long completedBefore = mbean(GENERATIONS, "Completed");
        upstream.enqueue(MockResponse.sse(deepSeekStream()).splitEvery(7));
        JsonObject m = Ops.chat(jetty, demo, Ops.userMessage("q", "\"provider\":\"primary\""));
        assertTrue(m.getBoolean("success"), m.toString());

        Map<String, Double> after = Ops.scrape(jetty, demo);
        String ok = "ai_progress_generations_total{model=\"deepseek-reasoner\",outcome=\"ok\",provider=\"primary\"}";
        assertEquals(1, Ops.value(after, ok) - Ops.value(before, ok));
        assertEquals(1, Ops.value(after, "ai_progress_generations_started_total")
                - Ops.value(before, "ai_progress_generations_started_total"));
        // four token deltas: two reasoning, two content
        assertEquals(4, Ops.value(after, "ai_progress_chunks_total") - Ops.value(before, "ai_progress_chunks_total"));
        String ttft = "ai_progress_time_to_first_token_seconds_count{model=\"deepseek-reasoner\",provider=\"primary\"}";
        assertEquals(1, Ops.value(after, ttft) - Ops.value(before, ttft));
        String duration = "ai_progress_generation_duration_seconds_count{model=\"deepseek-reasoner\",provider=\"primary\"}";
        assertEquals(1, Ops.value(after, duration) - Ops.value(before, duration));
        assertEquals(0, Ops.value(after, "ai_progress_generations_active"));
        assertEquals(1, mbean(GENERATIONS, "Completed") - completedBefore);
        assertEquals(0, mbean(GENERATIONS, "Active"));
        assertTrue(after.containsKey("ai_progress_chunk_overhead_seconds_count"));
        assertEquals(mbean(REALTIME, "ChunkOverheadSamples"), Ops.value(after, "ai_progress_chunk_overhead_seconds_count"));
    }

    @Test
    void metrics_after503OnThePrimary_countsAFallbackAndAnOkGenerationOnTheSecond() throws Exception {
        Map<String, Double> before = Ops.scrape(jetty, demo);
        long fallbacksBefore = mbean(GENERATIONS, "Fallbacks");
        upstream.enqueue(MockResponse.status(503).header("Content-Type", "application/json")
                .body("{\"error\":{\"message\":\"busy\"}}").contentLength());
        JsonObject m = Ops.chat(jetty, demo, Ops.userMessage("q", ""));
        assertTrue(m.getBoolean("success"), m.toString());
        assertEquals("scripted", m.getString("provider"));

        Map<String, Double> after = Ops.scrape(jetty, demo);
        String hop = "ai_progress_fallbacks_total{from=\"primary\",to=\"scripted\"}";
        assertEquals(1, Ops.value(after, hop) - Ops.value(before, hop));
        String ok = "ai_progress_generations_total{model=\"" + m.getString("model") + "\",outcome=\"ok\",provider=\"scripted\"}";
        assertEquals(1, Ops.value(after, ok) - Ops.value(before, ok));
        assertEquals(1, mbean(GENERATIONS, "Fallbacks") - fallbacksBefore);
        // a fallback is not an error of the generation
        assertEquals(Ops.value(before, "ai_progress_errors_total{code=\"AIP-010\"}"),
                Ops.value(after, "ai_progress_errors_total{code=\"AIP-010\"}"));
    }

    @Test
    void metrics_afterAnUpstreamErrorMidStream_countsOneErrorOfItsCode() throws Exception {
        Map<String, Double> before = Ops.scrape(jetty, demo);
        long aip016Before = mbeanMap(GENERATIONS, "ErrorsByCode", "AIP-016");
        long failedBefore = mbean(GENERATIONS, "Failed");
        upstream.enqueue(MockResponse.sse(OpenAiStream.create("deepseek-reasoner").role().reasoning("Thinking.")
                .content("The answer is").build()
                + "data: {\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}\n\n"));
        JsonObject m = Ops.chat(jetty, demo, Ops.userMessage("q", "\"provider\":\"primary\""));
        assertFalse(m.getBoolean("success"));
        assertEquals("AIP-016", m.getString("code"));

        Map<String, Double> after = Ops.scrape(jetty, demo);
        assertEquals(1, Ops.value(after, "ai_progress_errors_total{code=\"AIP-016\"}")
                - Ops.value(before, "ai_progress_errors_total{code=\"AIP-016\"}"));
        String failed = "ai_progress_generations_total{model=\"deepseek-reasoner\",outcome=\"AIP-016\",provider=\"primary\"}";
        assertEquals(1, Ops.value(after, failed) - Ops.value(before, failed));
        assertEquals(1, mbeanMap(GENERATIONS, "ErrorsByCode", "AIP-016") - aip016Before);
        assertEquals(1, mbean(GENERATIONS, "Failed") - failedBefore);
    }

    @Test
    void metrics_afterACancel_countsOneCancellationAndNoError() throws Exception {
        Map<String, Double> before = Ops.scrape(jetty, demo);
        long cancelsBefore = mbean(GENERATIONS, "Cancellations");
        String head = OpenAiStream.create("deepseek-reasoner").role().reasoning("Thinking.").content("The answer is").build();
        upstream.enqueue(MockResponse.sse(head + OpenAiStream.create("deepseek-reasoner").content(" never").build())
                .splitAt(head.length()).stallAfter(1));
        CompletableFuture<HttpResponse<String>> reply = demo.sendAsync(
                java.net.http.HttpRequest.newBuilder(jetty.uri(Ops.CHAT)).header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                Ops.userMessage("q", "\"provider\":\"primary\",\"task_id\":\"cancel-me\""))).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpServices runtime = HttpServices.of(jetty.context().getServletContext());
        Ops.await("the task to stream", () -> runtime.gateway().tasks().find("cancel-me", "demo")
                .map(g -> g.lastSeq() >= 3).orElse(false));
        assertEquals(1, Ops.value(Ops.scrape(jetty, demo), "ai_progress_generations_active"));
        assertEquals(1, mbean(GENERATIONS, "Active"));
        HttpResponse<String> cancel = jetty.postJson(demo, "/api/method/ai_assistant.api.cancel", "{\"task_id\":\"cancel-me\"}");
        assertEquals(200, cancel.statusCode(), cancel.body());
        assertEquals("AIP-017", Ops.json(reply.get().body()).getJsonObject("message").getString("code"));

        Map<String, Double> after = Ops.scrape(jetty, demo);
        assertEquals(1, Ops.value(after, "ai_progress_cancellations_total")
                - Ops.value(before, "ai_progress_cancellations_total"));
        assertEquals(Ops.value(before, "ai_progress_errors_total{code=\"AIP-017\"}"),
                Ops.value(after, "ai_progress_errors_total{code=\"AIP-017\"}"));
        assertEquals(1, mbean(GENERATIONS, "Cancellations") - cancelsBefore);
        assertEquals(0, Ops.value(after, "ai_progress_generations_active"));
    }

    @Test
    void metrics_anonymous_is403() throws Exception {
        HttpResponse<String> r = jetty.get(jetty.newClient(), "/ai-progress/metrics");
        assertEquals(403, r.statusCode());
        assertFalse(r.body().contains("ai_progress_"));
    }

    @Test
    void metrics_withTheRole_isPrometheusTextFromThePluginsOwnWriter() throws Exception {
        HttpResponse<String> r = jetty.get(demo, "/ai-progress/metrics", Ops.basic("demo", "demo"));
        assertEquals(200, r.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", r.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("plugin", r.headers().firstValue("X-AI-Progress-Metrics").orElseThrow());
        assertTrue(r.body().contains("# TYPE ai_progress_generations_total counter\n"), r.body());
        assertTrue(r.body().contains("ai_progress_sockets_open{transport=\"socketio\"} 0\n"), r.body());
        assertFalse(r.body().contains(KEY));
    }
}
