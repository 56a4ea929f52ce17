package dev.aiprogress.web;

import dev.aiprogress.testsupport.EmbeddedJetty;
import dev.aiprogress.testsupport.MockResponse;
import dev.aiprogress.testsupport.MockUpstream;
import dev.aiprogress.testsupport.OpenAiStream;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.aiprogress.gateway.Generation;
import org.eclipse.jetty.server.ServerConnector;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SSE mode of the chat endpoint, event by event, through real HTTP. */
class ChatSseWebTest {

    static MockUpstream upstream;
    static EmbeddedJetty jetty;
    static HttpClient client;

    @BeforeAll
    static void start() throws Exception {
        upstream = MockUpstream.start();
        jetty = EmbeddedJetty.builder()
                .initParam("ai-progress.providers", "deepseek,scripted")
                .initParam("ai-progress.provider.deepseek.dialect", "openai")
                .initParam("ai-progress.provider.deepseek.base-url", upstream.baseUrl().toString())
                .initParam("ai-progress.provider.deepseek.model", "deepseek-reasoner")
                .initParam("ai-progress.provider.scripted.pacing", "0")
                .start();
        client = jetty.newClient();
        assertEquals(200, jetty.login(client, "demo", "demo").statusCode());
    }

    @AfterAll
    static void stop() throws Exception {
        jetty.stop();
        upstream.close();
    }

    @Test
    void chat_acceptEventStream_streamsEventsThenTheReply() throws Exception {
        upstream.enqueue(MockResponse.sse(ChatReplyWebTest.deepSeekStream()).splitEvery(5));
        HttpResponse<String> r = jetty.postJson(client, ChatWeb.CHAT,
                ChatWeb.userMessage("Which is larger?", "\"conversation_id\":\"c-sse\",\"task_id\":\"sse-task-1\""),
                "Accept", "text/event-stream");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("text/event-stream"));
        assertEquals("no-cache", r.headers().firstValue("Cache-Control").orElseThrow());
        assertStreamRebuildsReply(ChatWeb.sse(r.body()), ChatReplyWebTest.REASONING, ChatReplyWebTest.ANSWER, "sse-task-1");
    }

    @Test
    void chat_streamTrueInBody_streamsAsSse() throws Exception {
        HttpResponse<String> r = jetty.postJson(client, ChatWeb.CHAT,
                ChatWeb.userMessage("Tell me about streams", "\"provider\":\"scripted\",\"stream\":true"));
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("text/event-stream"));
        List<ChatWeb.SseEvent> events = ChatWeb.sse(r.body());
        JsonObject reply = events.get(events.size() - 1).json().getJsonObject("message");
        assertStreamRebuildsReply(events, reply.getString("reasoning"), reply.getString("content"), reply.getString("task_id"));
        assertTrue(reply.getString("content").length() > 20, reply.getString("content"));
    }

    @Test
    void chat_sseClientNotReading_getsEveryEventInOrderOnceItReads() throws Exception {
        // hundreds of kilobytes of events (more than the TCP buffers hold, less than the reply's
        // bound ai-progress.http.max-buffered-bytes, 1 MiB) against a client that reads nothing until
        // the generation is over: the reply must wait for isReady/onWritePossible and lose nothing
        OpenAiStream stream = OpenAiStream.create("deepseek-reasoner").role();
        StringBuilder answer = new StringBuilder();
        for (int i = 0; i < 700; i++) {
            String piece = String.format("%05d ", i) + "x".repeat(394);
            answer.append(piece);
            stream.content(piece);
        }
        upstream.enqueue(MockResponse.sse(stream.finish("stop").done().build()));
        String sid = jetty.login(jetty.newClient(), "demo", "demo").headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("sid=")).map(c -> c.substring(0, c.indexOf(';'))).findFirst().orElseThrow();
        String json = ChatWeb.userMessage("long one", "\"task_id\":\"big-1\",\"provider\":\"deepseek\"");
        // a small send buffer on the server, so a few hundred kilobytes fill the line (a small
        // receive buffer on the client too would make TCP crawl once it reads)
        ServerConnector connector = (ServerConnector) jetty.context().getServer().getConnectors()[0];
        connector.setAcceptedSendBufferSize(8192);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", jetty.baseUri().getPort()));
            socket.getOutputStream().write(("POST " + ChatWeb.CHAT + " HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: " + sid
                    + "\r\nContent-Type: application/json\r\nAccept: text/event-stream\r\nConnection: close\r\n"
                    + "Content-Length: " + json.length() + "\r\n\r\n" + json).getBytes(StandardCharsets.UTF_8));
            Generation g = ChatCancelWebTest.awaitTask(jetty, "big-1", "demo");
            ChatCancelWebTest.await("the generation to end", () -> g.result().isPresent());

            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(response.startsWith("HTTP/1.1 200 OK\r\n"), response.substring(0, 200));
            String head = response.substring(0, response.indexOf("\r\n\r\n"));
            String rest = response.substring(head.length() + 4);
            // with Connection: close Jetty may end the body by closing instead of chunking
            String body = head.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked") ? dechunk(rest) : rest;
            assertStreamRebuildsReply(ChatWeb.sse(body), "", answer.toString(), "big-1");
        } finally {
            connector.setAcceptedSendBufferSize(-1);
        }
    }

    /** The body of a chunked HTTP/1.1 response. */
    static String dechunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (true) {
            int lineEnd = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, lineEnd).trim(), 16);
            if (size == 0) {
                return out.toString();
            }
            // sizes count bytes; every byte here is ASCII except the thinking message's ellipsis
            byte[] rest = chunked.substring(lineEnd + 2).getBytes(StandardCharsets.UTF_8);
            String piece = new String(rest, 0, size, StandardCharsets.UTF_8);
            out.append(piece);
            at = lineEnd + 2 + piece.length() + 2;
        }
    }

    /**
     * thinking → reasoning deltas → text deltas → completion → complete, seq 1, 2, 3... each with
     * {@code id: <seq>}; then {@code event: reply} with the non-SSE body.
     */
    static void assertStreamRebuildsReply(List<ChatWeb.SseEvent> events, String reasoning, String answer, String taskId) {
        List<String> types = new ArrayList<>();
        StringBuilder reasoningDeltas = new StringBuilder();
        StringBuilder textDeltas = new StringBuilder();
        for (int i = 0; i < events.size() - 1; i++) {
            ChatWeb.SseEvent e = events.get(i);
            assertEquals("ai_progress", e.event());
            JsonObject json = e.json();
            assertEquals(i + 1, json.getInt("seq"), e.data());
            assertEquals(String.valueOf(i + 1), e.id());
            assertEquals(taskId, json.getString("task_id"));
            assertTrue(json.getString("timestamp").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), e.data());
            String type = json.getString("type");
            if (types.isEmpty() || !types.get(types.size() - 1).equals(type)) {
                types.add(type);
            }
            if (type.equals("reasoning")) {
                assertTrue(json.getBoolean("partial"));
                reasoningDeltas.append(json.getString("text"));
            } else if (type.equals("text")) {
                assertTrue(json.getBoolean("partial"));
                textDeltas.append(json.getString("text"));
            } else if (type.equals("completion")) {
                assertEquals(answer, json.getString("text"));
                assertEquals(reasoning, json.getString("reasoning"));
            }
        }
        assertEquals(reasoning.isEmpty() ? List.of("thinking", "text", "completion", "complete")
                : List.of("thinking", "reasoning", "text", "completion", "complete"), types);
        assertEquals(reasoning, reasoningDeltas.toString());
        assertEquals(answer, textDeltas.toString());

        ChatWeb.SseEvent last = events.get(events.size() - 1);
        assertEquals("reply", last.event());
        assertEquals(null, last.id());
        JsonObject reply = last.json().getJsonObject("message");
        assertTrue(reply.getBoolean("success"));
        assertEquals(answer, reply.getString("content"));
        assertEquals(reasoning, reply.getString("reasoning"));
        assertEquals(taskId, reply.getString("task_id"));
    }
}
