package dev.aiprogress.web;

import dev.aiprogress.testsupport.EmbeddedJetty;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Slow-drip request bodies (a byte every half second) on raw sockets, more of them than the server
 * has threads, against login, cancel and chat: logged-in users' health, login and chat calls still
 * answer while the drip lasts, because no endpoint holds a container thread while a body arrives;
 * then every dripping request gets 408 with a Frappe body naming {@code ai-progress.http.body-timeout}.
 */
class SlowDripWebTest {

    static final int THREADS = 24;
    static final int DRIPS_PER_PATH = 14;
    static final int DECLARED_LENGTH = 200;

    /** One raw connection that sent its headers and sends its body a byte at a time. */
    record Drip(Socket socket, OutputStream out) {
        static Drip open(EmbeddedJetty jetty, String path, String contentType, String cookie) throws IOException {
            Socket socket = new Socket("127.0.0.1", jetty.baseUri().getPort());
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + contentType
                    + "\r\nContent-Length: " + DECLARED_LENGTH + "\r\n" + (cookie.isEmpty() ? "" : "Cookie: " + cookie + "\r\n")
                    + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new Drip(socket, out);
        }

        /** False once the server has answered and closed. */
        boolean dripOneByte() {
            try {
                out.write('a');
                out.flush();
                return true;
            } catch (IOException closedByServer) {
                return false;
            }
        }

        /** Status line, headers and body of the answer (read to the end of its Content-Length or the connection). */
        String response() throws IOException {
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != -1) {
                bytes.write(b);
                String text = bytes.toString(StandardCharsets.UTF_8);
                int headersEnd = text.indexOf("\r\n\r\n");
                if (headersEnd > 0) {
                    String lower = text.substring(0, headersEnd + 2).toLowerCase(java.util.Locale.ROOT);
                    int at = lower.indexOf("content-length:");
                    if (at >= 0) {
                        int length = Integer.parseInt(lower.substring(at + 15, lower.indexOf("\r\n", at)).trim());
                        if (bytes.size() >= headersEnd + 4 + length) {
                            break;
                        }
                    }
                }
            }
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void dripOnEveryBodyEndpoint_othersStillServed_thenEachDripGets408() throws Exception {
        try (EmbeddedJetty jetty = EmbeddedJetty.builder().maxThreads(THREADS)
                .users(Map.of("demo", "demo", "alice", "pw"))
                .initParam("ai-progress.provider.scripted.pacing", "0")
                .initParam("ai-progress.http.body-timeout", "5s")
                .start()) {
            HttpClient alice = jetty.newClient();
            assertEquals(200, jetty.login(alice, "alice", "pw").statusCode());
            String aliceCookie = E2e.sessionCookie(jetty, alice);

            List<Drip> drips = new ArrayList<>();
            AtomicBoolean dripping = new AtomicBoolean(true);
            Thread dripper = new Thread(() -> {
                // a byte every half second to every connection, for at most 40 s
                for (int round = 0; round < 80 && dripping.get(); round++) {
                    synchronized (drips) {
                        drips.forEach(Drip::dripOneByte);
                    }
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "slow-drip");
            try {
                for (int i = 0; i < DRIPS_PER_PATH; i++) {
                    synchronized (drips) {
                        drips.add(Drip.open(jetty, "/api/method/login", "application/x-www-form-urlencoded", ""));
                        drips.add(Drip.open(jetty, ChatWeb.CANCEL, "application/json", aliceCookie));
                        drips.add(Drip.open(jetty, ChatWeb.CHAT, "application/json", aliceCookie));
                    }
                }
                assertTrue(drips.size() > THREADS);
                dripper.start();
                Thread.sleep(1_000); // the drip takes hold: every request has been dispatched and is reading

                Duration patience = Duration.ofSeconds(15);
                HttpClient fresh = jetty.newClient();
                HttpResponse<String> health = fresh.send(HttpRequest.newBuilder(jetty.uri("/ai-progress/health"))
                        .timeout(patience).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, health.statusCode(), health.body());
                HttpResponse<String> login = fresh.send(HttpRequest.newBuilder(jetty.uri("/api/method/login"))
                        .timeout(patience).header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("usr=demo&pwd=demo")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, login.statusCode(), login.body());
                HttpResponse<String> chat = alice.send(HttpRequest.newBuilder(jetty.uri(ChatWeb.CHAT)).timeout(patience)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(ChatWeb.userMessage("hi", ""))).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, chat.statusCode(), chat.body());
                assertTrue(ChatWeb.message(chat).getBoolean("success"), chat.body());

                for (Drip drip : drips) {
                    String response = drip.response();
                    assertTrue(response.startsWith("HTTP/1.1 408 "), response);
                    assertTrue(response.contains("{\"exc_type\":\"RequestTimeoutError\""), response);
                    assertTrue(response.contains("did not arrive within 5s (ai-progress.http.body-timeout)"), response);
                }
            } finally {
                dripping.set(false);
                dripper.interrupt();
                dripper.join();
                for (Drip drip : drips) {
                    drip.socket().close();
                }
            }
        }
    }
}
