package dev.aiprogress.web.http;

import dev.aiprogress.auth.HttpIdentity;

import dev.aiprogress.auth.FileTokenVerifier;

import dev.aiprogress.testsupport.EmbeddedJetty;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The parser behind real HTTP: body limits while reading, form encoding, Frappe error bodies, agent api_key. */
class ChatRequestParserWebTest {

    /** Stands in for the chat servlet: parses and answers with a summary, or the Frappe error. */
    public static final class Echo extends HttpServlet {
        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            HttpServices services = HttpServices.of(getServletContext());
            ChatRequestParser parser = services.chatRequestParser();
            resp.setCharacterEncoding("UTF-8");
            try {
                if (req.getServletPath().equals(AGENT)) {
                    ChatCall call = parser.parseAgentRequest(req);
                    resp.getWriter().write(Users.requiredWithApiKey(req, call, services.identity()) + " " + call.request().messages().size());
                } else {
                    ChatCall call = parser.parse(req);
                    resp.getWriter().write(HttpIdentity.user(req).orElseThrow() + " " + call.request().messages().get(0).text()
                            + " " + call.conversationId());
                }
            } catch (FrappeError e) {
                e.send(resp);
            }
        }
    }

    /** Reads with non-blocking I/O, as the async chat servlet does. */
    public static final class AsyncEcho extends HttpServlet {
        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) {
            jakarta.servlet.AsyncContext async = req.startAsync();
            ChatRequestParser parser = HttpServices.of(getServletContext()).chatRequestParser();
            String contentType = req.getContentType();
            AsyncBodyReader.read(req, parser.maxBodyBytes()).whenComplete((body, failure) -> {
                try {
                    if (failure != null) {
                        if (failure instanceof FrappeError e) {
                            e.send(resp);
                        } else {
                            resp.setStatus(500);
                        }
                    } else {
                        try {
                            ChatCall call = parser.parseChat(body, contentType);
                            resp.getWriter().write(call.request().messages().get(0).text());
                        } catch (FrappeError e) {
                            e.send(resp);
                        }
                    }
                } catch (IOException e) {
                    resp.setStatus(500);
                } finally {
                    async.complete();
                }
            });
        }
    }

    static final String ASYNC_CHAT = "/test/async-chat";
    static final String CHAT = "/test/chat";
    static final String AGENT = "/test/agent";

    @TempDir
    static Path dir;
    static EmbeddedJetty jetty;
    static HttpClient client;

    @BeforeAll
    static void start() throws Exception {
        Path tokens = dir.resolve("tokens");
        Files.writeString(tokens, FileTokenVerifier.hashLine("agent", "pw", 1000) + "\n");
        jetty = EmbeddedJetty.builder()
                .initParam("ai-progress.chat.path", CHAT)
                .initParam("ai-progress.limits.max-body-bytes", "2048")
                .initParam("ai-progress.auth.tokens-file", tokens.toString())
                .customize(c -> {
                    c.addServlet(new ServletHolder(new Echo()), CHAT);
                    c.addServlet(new ServletHolder(new Echo()), AGENT);
                    ServletHolder async = new ServletHolder(new AsyncEcho());
                    async.setAsyncSupported(true);
                    c.addServlet(async, ASYNC_CHAT);
                })
                .start();
        client = jetty.newClient();
        assertEquals(200, jetty.login(client, "demo", "demo").statusCode());
    }

    @AfterAll
    static void stop() throws Exception {
        jetty.stop();
    }

    @Test
    void post_jsonBody_isParsed() throws Exception {
        HttpResponse<String> r = jetty.postJson(client, CHAT, "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"conversation_id\":\"c1\"}");
        assertEquals(200, r.statusCode());
        assertEquals("demo hi c1", r.body());
    }

    @Test
    void post_formEncoded_messagesAsJsonString() throws Exception {
        String form = "messages=" + URLEncoder.encode("[{\"role\":\"user\",\"content\":\"hé\"}]", StandardCharsets.UTF_8) + "&conversation_id=c2";
        HttpResponse<String> r = jetty.postForm(client, CHAT, form);
        assertEquals(200, r.statusCode());
        assertEquals("demo hé c2", r.body());
    }

    @Test
    void post_malformedJson_is400WithFrappeBody() throws Exception {
        HttpResponse<String> r = jetty.postJson(client, CHAT, "{\"message\" \"hi\"}");
        assertEquals(400, r.statusCode());
        assertEquals("{\"exc_type\":\"ValidationError\",\"exception\":\"ValidationError: request body is not valid JSON: line 1, column 15\","
                + "\"message\":\"request body is not valid JSON: line 1, column 15\"}", r.body());
    }

    @Test
    void post_declaredLengthOverLimit_is413() throws Exception {
        HttpResponse<String> r = jetty.postJson(client, CHAT, "{\"message\":\"" + "x".repeat(3000) + "\"}");
        assertEquals(413, r.statusCode());
        assertEquals("{\"exc_type\":\"RequestTooLargeError\",\"exception\":\"RequestTooLargeError: request body is larger than 2048 bytes "
                + "(ai-progress.limits.max-body-bytes)\",\"message\":\"request body is larger than 2048 bytes (ai-progress.limits.max-body-bytes)\"}",
                r.body());
    }

    @Test
    void post_chunkedBodyOverLimit_is413WhileReading() throws Exception {
        byte[] big = ("{\"message\":\"" + "x".repeat(3000) + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(jetty.uri(CHAT)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build();
        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(413, r.statusCode());
    }

    @Test
    void asyncRead_smallChunkedBody_isParsed() throws Exception {
        byte[] small = "{\"message\":\"async hi\"}".getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(jetty.uri(ASYNC_CHAT)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(small))).build();
        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals("async hi", r.body());
    }

    @Test
    void asyncRead_chunkedBodyOverLimit_is413() throws Exception {
        byte[] big = ("{\"message\":\"" + "x".repeat(5000) + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(jetty.uri(ASYNC_CHAT)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build();
        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(413, r.statusCode());
        assertEquals("{\"exc_type\":\"RequestTooLargeError\",\"exception\":\"RequestTooLargeError: request body is larger than 2048 bytes "
                + "(ai-progress.limits.max-body-bytes)\",\"message\":\"request body is larger than 2048 bytes (ai-progress.limits.max-body-bytes)\"}",
                r.body());
    }

    @Test
    void agent_apiKeyInBody_isCheckedLikeAToken() throws Exception {
        HttpClient anonymous = jetty.newClient();
        HttpResponse<String> ok = jetty.postJson(anonymous, AGENT, "{\"prompt\":\"go\",\"api_key\":\"agent:pw\"}");
        assertEquals(200, ok.statusCode());
        assertEquals("agent 1", ok.body());
        HttpResponse<String> wrong = jetty.postJson(anonymous, AGENT, "{\"prompt\":\"go\",\"api_key\":\"agent:bad\"}");
        assertEquals(401, wrong.statusCode());
        assertEquals("{\"exc_type\":\"AuthenticationError\",\"exception\":\"AuthenticationError: Invalid API token\","
                + "\"message\":\"Invalid API token\"}", wrong.body());
        assertEquals(401, jetty.postJson(anonymous, AGENT, "{\"prompt\":\"go\"}").statusCode());
    }
}
