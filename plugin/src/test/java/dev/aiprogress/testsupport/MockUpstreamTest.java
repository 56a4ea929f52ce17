package dev.aiprogress.testsupport;

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
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The mock itself, seen from a raw socket, so later tests can trust its wire bytes. */
class MockUpstreamTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private static String exchange(MockUpstream upstream, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", upstream.port())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            int n;
            try {
                while ((n = in.read(buffer)) >= 0) {
                    received.write(buffer, 0, n);
                }
            } catch (IOException reset) {
                // a reset response ends this way
            }
            return received.toString(StandardCharsets.UTF_8);
        }
    }

    private static final String POST = "POST /v1/chat/completions?a=b HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer k\r\n"
            + "Content-Length: 7\r\nConnection: close\r\n\r\n{\"a\":1}";

    @Test
    void enqueue_chunkedSplitResponse_exactWireBytesAndRecordedRequest() throws Exception {
        try (MockUpstream upstream = MockUpstream.start()) {
            upstream.enqueue(MockResponse.sse("data: hi\n\n").splitAt(4).closeDelimited());

            String wire = exchange(upstream, POST);

            assertEquals("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\ndata: hi\n\n", wire);
            RecordedRequest request = upstream.takeRequest(WAIT);
            assertEquals("POST", request.method());
            assertEquals("/v1/chat/completions?a=b", request.target());
            assertEquals("Bearer k", request.header("authorization").orElseThrow());
            assertEquals("{\"a\":1}", request.body());
        }
    }

    @Test
    void enqueue_chunkedPieces_oneChunkPerPieceAndTerminator() throws Exception {
        try (MockUpstream upstream = MockUpstream.start()) {
            upstream.enqueue(MockResponse.status(200).body("abcdef").splitEvery(4));

            String wire = exchange(upstream, POST);

            assertEquals("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n2\r\nef\r\n0\r\n\r\n", wire);
        }
    }

    @Test
    void enqueue_truncateAfter_bodyCutNoTerminator() throws Exception {
        try (MockUpstream upstream = MockUpstream.start()) {
            upstream.enqueue(MockResponse.status(200).body("abcdef").truncateAfter(3));

            String wire = exchange(upstream, POST);

            assertEquals("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n", wire);
        }
    }

    @Test
    void noResponseEnqueued_500WithJsonError() throws Exception {
        try (MockUpstream upstream = MockUpstream.start()) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

            HttpResponse<String> response = client.send(HttpRequest.newBuilder(upstream.baseUrl().resolve("/x"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());

            assertEquals(500, response.statusCode());
            assertEquals("{\"error\":{\"message\":\"MockUpstream: no response enqueued\"}}", response.body());
            assertEquals(1, upstream.requestCount());
        }
    }

    @Test
    void keepAlive_twoRequestsOnOneConnection_bothServedInOrder() throws Exception {
        try (MockUpstream upstream = MockUpstream.start()) {
            upstream.enqueue(MockResponse.status(200).body("one").contentLength());
            upstream.enqueue(MockResponse.status(200).body("two").contentLength());
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpRequest request = HttpRequest.newBuilder(upstream.baseUrl().resolve("/x")).GET().build();

            List<String> bodies = List.of(client.send(request, HttpResponse.BodyHandlers.ofString()).body(),
                    client.send(request, HttpResponse.BodyHandlers.ofString()).body());

            assertEquals(List.of("one", "two"), bodies);
            assertFalse(upstream.awaitClientDisconnect(Duration.ofMillis(50)));
        }
    }

    @Test
    void stallAfter_clientCloses_disconnectNoted() throws Exception {
        try (MockUpstream upstream = MockUpstream.start()) {
            upstream.enqueue(MockResponse.sse("data: a\n\ndata: b\n\n").splitEvery(3).stallAfter(1));
            try (Socket socket = new Socket("127.0.0.1", upstream.port())) {
                socket.getOutputStream().write(POST.getBytes(StandardCharsets.UTF_8));
                upstream.takeRequest(WAIT);
            }

            assertTrue(upstream.awaitClientDisconnect(WAIT));
        }
    }

    @Test
    void generated_piecesMadeAtSendTime_inOrder() throws Exception {
        try (MockUpstream upstream = MockUpstream.start()) {
            upstream.enqueue(MockResponse.status(200).closeDelimited()
                    .generated(3, i -> ("data: " + i + "\n\n").getBytes(StandardCharsets.UTF_8)));

            String wire = exchange(upstream, POST);

            assertEquals("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\ndata: 0\n\ndata: 1\n\ndata: 2\n\n", wire);
        }
    }
}
