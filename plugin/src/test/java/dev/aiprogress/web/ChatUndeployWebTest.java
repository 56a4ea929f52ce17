package dev.aiprogress.web;

import dev.aiprogress.web.http.HttpServices;

import dev.aiprogress.web.bootstrap.PluginLifecycle;

import dev.aiprogress.testsupport.EmbeddedJetty;
import dev.aiprogress.testsupport.MockUpstream;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Undeploying the plugin while a generation streams: the upstream is closed and no plugin thread survives. */
class ChatUndeployWebTest {

    private static List<String> pluginThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("ai-progress-") && t.isAlive()).map(Thread::getName).toList();
    }

    @Test
    void undeploy_whileStreaming_closesTheUpstreamAndLeavesNoPluginThread() throws Exception {
        try (MockUpstream upstream = MockUpstream.start();
             EmbeddedJetty jetty = EmbeddedJetty.builder()
                     .initParam("ai-progress.providers", "deepseek")
                     .initParam("ai-progress.provider.deepseek.dialect", "openai")
                     .initParam("ai-progress.provider.deepseek.base-url", upstream.baseUrl().toString())
                     .initParam("ai-progress.provider.deepseek.model", "deepseek-reasoner")
                     .initParam("ai-progress.http.heartbeat", "100ms")
                     .start()) {
            HttpClient demo = jetty.newClient();
            assertEquals(200, jetty.login(demo, "demo", "demo").statusCode());
            ChatCancelWebTest.enqueueStalledAnswer(upstream);
            CompletableFuture<HttpResponse<String>> sse = ChatWeb.chatAsync(jetty, demo,
                    ChatWeb.userMessage("q", "\"task_id\":\"undeploy-1\""), "Accept", "text/event-stream");
            ChatCancelWebTest.awaitPartialAnswer(jetty, "undeploy-1");

            // the upstream client's I/O thread runs the stream: it must end with the deployment (in a
            // container its context class loader is the web application's)
            assertTrue(pluginThreads().stream().anyMatch(t -> t.startsWith("ai-progress-upstream-")), pluginThreads().toString());

            jetty.undeploy();

            assertTrue(upstream.awaitClientDisconnect(Duration.ofSeconds(5)));
            HttpResponse<String> r = sse.get(10, TimeUnit.SECONDS);
            // the generation is cancelled first, so the client still learns why and keeps the partial text
            assertEquals(200, r.statusCode());
            List<ChatWeb.SseEvent> events = ChatWeb.sse(r.body());
            JsonObject error = events.get(events.size() - 2).json();
            assertEquals("error", error.getString("type"));
            assertEquals("The task was cancelled because the server is shutting down.", error.getString("message"));
            assertEquals("The answer is", error.getString("text"));
            JsonObject reply = events.get(events.size() - 1).json().getJsonObject("message");
            ChatFailureWebTest.assertFailureReply(reply, "AIP-017", "The answer is", "Thinking it over.");
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().startsWith("ai-progress-")) {
                    t.join(10_000);
                }
            }
            assertEquals(List.of(), pluginThreads());
        }
    }

    @Test
    void sigterm_whileStreamingJson_theChatCallGetsItsFailureReplyNotAnEmptyBody() throws Exception {
        try (MockUpstream upstream = MockUpstream.start();
             EmbeddedJetty jetty = EmbeddedJetty.builder()
                     .initParam("ai-progress.providers", "deepseek")
                     .initParam("ai-progress.provider.deepseek.dialect", "openai")
                     .initParam("ai-progress.provider.deepseek.base-url", upstream.baseUrl().toString())
                     .initParam("ai-progress.provider.deepseek.model", "deepseek-reasoner")
                     .start()) {
            HttpClient demo = jetty.newClient();
            assertEquals(200, jetty.login(demo, "demo", "demo").statusCode());
            ChatCancelWebTest.enqueueStalledAnswer(upstream);
            CompletableFuture<HttpResponse<String>> json = ChatWeb.chatAsync(jetty, demo,
                    ChatWeb.userMessage("q", "\"task_id\":\"stop-1\""));
            ChatCancelWebTest.awaitPartialAnswer(jetty, "stop-1");

            // as on SIGTERM: Jetty's own shutdown hook stops the server (a graceful phase first, as
            // jetty-home configures it: connections get up to 5 s to finish, then they are closed,
            // and only then is the application stopped) while the plugin's hook cancels the chats
            jetty.context().getServer().setStopTimeout(5_000);
            HttpServices http = HttpServices.of(jetty.context().getServletContext());
            Thread jettyHook = new Thread(() -> {
                try {
                    jetty.stop();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            jettyHook.start();
            // what the plugin's shutdown hook does: cancel every generation, then wait for the replies
            http.gateway().close();
            http.awaitRepliesWritten(PluginLifecycle.REPLY_DRAIN);

            HttpResponse<String> r = json.get(20, TimeUnit.SECONDS);
            jettyHook.join(30_000);
            assertEquals(200, r.statusCode(), r.body());
            assertFalse(r.body().isBlank(), "an empty 200: the reply was cut at shutdown");
            ChatFailureWebTest.assertFailureReply(ChatWeb.message(r), "AIP-017", "The answer is", "Thinking it over.");
        }
    }
}
