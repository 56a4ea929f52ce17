package dev.aiprogress.web;

import dev.aiprogress.testsupport.EmbeddedJetty;
import dev.aiprogress.testsupport.MockUpstream;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ai-progress.async-timeout} reached while the upstream still streams: cancelled, answered, upstream closed. */
class ChatAsyncTimeoutWebTest {

    @Test
    void chat_asyncTimeoutReached_cancelsAndRepliesWithThePartialText() throws Exception {
        try (MockUpstream upstream = MockUpstream.start();
             EmbeddedJetty jetty = EmbeddedJetty.builder()
                     .initParam("ai-progress.providers", "deepseek")
                     .initParam("ai-progress.provider.deepseek.dialect", "openai")
                     .initParam("ai-progress.provider.deepseek.base-url", upstream.baseUrl().toString())
                     .initParam("ai-progress.provider.deepseek.model", "deepseek-reasoner")
                     // long enough that the partial answer has surely streamed on a loaded machine;
                     // the stalled upstream never ends, so the test waits for the timeout either way
                     .initParam("ai-progress.async-timeout", "5s")
                     .start()) {
            HttpClient demo = jetty.newClient();
            assertEquals(200, jetty.login(demo, "demo", "demo").statusCode());
            ChatCancelWebTest.enqueueStalledAnswer(upstream);

            HttpResponse<String> r = jetty.postJson(demo, ChatWeb.CHAT, ChatWeb.userMessage("q", "\"task_id\":\"slow-1\""));

            assertEquals(200, r.statusCode(), r.body());
            ChatFailureWebTest.assertFailureReply(ChatWeb.message(r), "AIP-017", "The answer is", "Thinking it over.");
            assertTrue(upstream.awaitClientDisconnect(Duration.ofSeconds(15)));
        }
    }
}
