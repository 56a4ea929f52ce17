package dev.aiprogress.provider.http;

import dev.aiprogress.testsupport.MockResponse;
import dev.aiprogress.testsupport.MockUpstream;
import dev.aiprogress.testsupport.RecordedRequest;
import dev.aiprogress.testsupport.TestTls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The upstream client against the loopback mock (plain and TLS), a tunnelling proxy and raw
 * sockets: every body framing, keep-alive reuse and its one retry, TLS trust and names, CONNECT
 * tunnels, connect timeouts, cancellation seen by the server, and threads gone after close.
 */
class UpstreamClientTest {

    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final List<UpstreamClient> clients = new ArrayList<>();

    @AfterEach
    void stop() {
        clients.forEach(UpstreamClient::close);
        timers.shutdownNow();
    }

    private UpstreamClient client(SSLContext tls, ProxySelector proxies, Duration connectTimeout) {
        UpstreamClient c = new UpstreamClient(new UpstreamClient.Options(connectTimeout, 1, tls, proxies,
                Duration.ofSeconds(30)), timers);
        clients.add(c);
        return c;
    }

    private UpstreamClient client() throws Exception {
        return client(SSLContext.getDefault(), null, Duration.ofSeconds(10));
    }

    private static UpstreamRequest post(URI base, String path, String body) {
        return new UpstreamRequest(base.resolve(path), List.of(Map.entry("Content-Type", "application/json"),
                Map.entry("Authorization", "Bearer sk-test")), body.getBytes(StandardCharsets.UTF_8));
    }

    /** Collects one response; {@link #result} completes with it or with the failure. */
    static class Collected implements ResponseHandler {
        final CompletableFuture<Collected> result = new CompletableFuture<>();
        volatile ResponseHead head;
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        final AtomicInteger reads = new AtomicInteger();
        volatile IOException failure;
        volatile boolean failedAfterHead;

        @Override
        public void onHead(ResponseHead h) {
            head = h;
        }

        @Override
        public synchronized void onBody(ByteBuffer bytes) {
            reads.incrementAndGet();
            byte[] b = new byte[bytes.remaining()];
            bytes.get(b);
            body.writeBytes(b);
        }

        @Override
        public void onComplete() {
            result.complete(this);
        }

        @Override
        public void onFailure(IOException error, boolean headReceived) {
            failure = error;
            failedAfterHead = headReceived;
            result.complete(this);
        }

        Collected await() throws Exception {
            return result.get(20, TimeUnit.SECONDS);
        }

        String text() {
            return body.toString(StandardCharsets.UTF_8);
        }
    }

    private static Collected send(UpstreamClient client, UpstreamRequest request) throws Exception {
        Collected c = new Collected();
        client.send(request, c);
        return c.await();
    }

    @Test
    void send_chunkedBodyCutAtEveryByte_arrivesWholeAndTheRequestIsExact() throws Exception {
        try (MockUpstream upstream = MockUpstream.start()) {
            String sse = "data: {\"a\":\"héllo\"}\n\ndata: [DONE]\n\n";
            upstream.enqueue(MockResponse.sse(sse).splitEvery(1));
            Collected c = send(client(), post(upstream.baseUrl(), "/v1/chat/completions?x=1", "{\"q\":\"ü\"}"));
            assertEquals(null, c.failure);
            assertEquals(200, c.head.status());
            assertEquals(sse, c.text());
            RecordedRequest r = upstream.takeRequest(Duration.ofSeconds(5));
            assertEquals("POST", r.method());
            assertEquals("/v1/chat/completions?x=1", r.target());
            assertEquals("{\"q\":\"ü\"}", r.body());
            assertEquals("Bearer sk-test", r.header("Authorization").orElseThrow());
            assertEquals("127.0.0.1:" + upstream.port(), r.header("Host").orElseThrow());
        }
    }

    @Test
    void send_contentLengthAndCloseDelimitedBodies_endAsTheirFramingSays() throws Exception {
        try (MockUpstream upstream = MockUpstream.start()) {
            UpstreamClient client = client();
            upstream.enqueue(MockResponse.status(400).body("{\"error\":\"bad\"}").contentLength());
            Collected sized = send(client, post(upstream.baseUrl(), "/x", "{}"));
            assertEquals(400, sized.head.status());
            assertEquals("{\"error\":\"bad\"}", sized.text());

            upstream.enqueue(MockResponse.sse("data: one\n\n").closeDelimited());
            Collected toEof = send(client, post(upstream.baseUrl(), "/x", "{}"));
            assertEquals(null, toEof.failure);
            assertEquals("data: one\n\n", toEof.text());
        }
    }

    @Test
    void send_bodyCutShort_failsAfterTheHeadWithWhatCameDelivered() throws Exception {
        try (MockUpstream upstream = MockUpstream.start()) {
            upstream.enqueue(MockResponse.sse("data: one\n\ndata: two\n\n").truncateAfter(11));
            Collected c = send(client(), post(upstream.baseUrl(), "/x", "{}"));
            assertTrue(c.failedAfterHead);
            assertEquals("data: one\n\n", c.text());
        }
    }

    @Test
    void send_twoRequestsInARow_reuseOneConnection() throws Exception {
        try (MockUpstream upstream = MockUpstream.start(); CountingProxy counter = CountingProxy.direct(upstream.port())) {
            UpstreamClient client = client();
            URI base = URI.create("http://127.0.0.1:" + counter.port());
            for (int i = 0; i < 3; i++) {
                upstream.enqueue(MockResponse.sse("data: " + i + "\n\n"));
                assertEquals("data: " + i + "\n\n", send(client, post(base, "/x", "{}")).text());
            }
            assertEquals(1, counter.connections.get(), "one keep-alive connection carried all three");
        }
    }

    @Test
    void send_pooledConnectionClosedByTheServer_isRetriedOnceOnAFreshOne() throws Exception {
        try (MockUpstream upstream = MockUpstream.start()) {
            UpstreamClient client = client();
            upstream.enqueue(MockResponse.sse("data: 1\n\n"));
            assertEquals("data: 1\n\n", send(client, post(upstream.baseUrl(), "/x", "{}")).text());
            // the next request's connection is closed by the server without an answer (a stale keep-alive)
            upstream.enqueue(MockResponse.disconnect());
            upstream.enqueue(MockResponse.sse("data: 2\n\n"));
            Collected c = send(client, post(upstream.baseUrl(), "/x", "{}"));
            assertEquals(null, c.failure);
            assertEquals("data: 2\n\n", c.text());
            assertEquals(3, upstream.requestCount());
        }
    }

    @Test
    void send_freshConnectionClosedWithoutAnswer_failsBeforeTheHead() throws Exception {
        try (MockUpstream upstream = MockUpstream.start()) {
            upstream.enqueue(MockResponse.disconnect());
            Collected c = send(client(), post(upstream.baseUrl(), "/x", "{}"));
            assertFalse(c.failedAfterHead);
            assertTrue(c.failure instanceof IOException, String.valueOf(c.failure));
            assertEquals(1, upstream.requestCount(), "a fresh connection is not retried");
        }
    }

    @Test
    void send_nothingListening_failsWithAConnectException() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Collected c = send(client(), post(URI.create("http://127.0.0.1:" + port), "/x", "{}"));
        assertInstanceOf(ConnectException.class, c.failure);
        assertFalse(c.failedAfterHead);
    }

    @Test
    void send_tlsUpstreamTrusted_streamsThroughTheHandshake() throws Exception {
        TestTls cert = TestTls.loopback();
        try (MockUpstream upstream = MockUpstream.startTls(cert)) {
            UpstreamClient client = client(cert.clientContext(), null, Duration.ofSeconds(10));
            String sse = "data: " + "é".repeat(40_000) + "\n\n";
            for (int i = 0; i < 2; i++) {
                upstream.enqueue(MockResponse.sse(sse).splitEvery(7_001));
                Collected c = send(client, post(upstream.baseUrl(), "/x", "{\"over\":\"tls\"}"));
                assertEquals(null, c.failure);
                assertEquals(sse, c.text(), "records larger than a read and cut anywhere");
            }
            assertEquals("{\"over\":\"tls\"}", upstream.takeRequest(Duration.ofSeconds(5)).body());
        }
    }

    @Test
    void send_tlsCertificateUntrustedOrForAnotherName_failsTheHandshake() throws Exception {
        TestTls cert = TestTls.loopback();
        TestTls otherName = TestTls.forNames("dns:other.example");
        try (MockUpstream untrusted = MockUpstream.startTls(cert); MockUpstream wrongName = MockUpstream.startTls(otherName)) {
            Collected c = send(client(), post(untrusted.baseUrl(), "/x", "{}"));
            assertInstanceOf(SSLHandshakeException.class, c.failure);
            Collected n = send(client(otherName.clientContext(), null, Duration.ofSeconds(10)),
                    post(wrongName.baseUrl(), "/x", "{}"));
            assertInstanceOf(SSLHandshakeException.class, n.failure, "trusted, but not for 127.0.0.1");
            assertEquals(0, untrusted.requestCount() + wrongName.requestCount(), "no request left the client");
        }
    }

    @Test
    void send_throughAnHttpProxy_tunnelsHttpsWithConnectAndSendsHttpInAbsoluteForm() throws Exception {
        TestTls cert = TestTls.loopback();
        try (MockUpstream tls = MockUpstream.startTls(cert); MockUpstream plain = MockUpstream.start();
             CountingProxy proxy = CountingProxy.forwarding()) {
            ProxySelector viaProxy = new ProxySelector() {
                @Override
                public List<Proxy> select(URI uri) {
                    return List.of(new Proxy(Proxy.Type.HTTP, new InetSocketAddress("127.0.0.1", proxy.port())));
                }

                @Override
                public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
                }
            };
            UpstreamClient client = client(cert.clientContext(), viaProxy, Duration.ofSeconds(10));
            tls.enqueue(MockResponse.sse("data: secret\n\n"));
            assertEquals("data: secret\n\n", send(client, post(tls.baseUrl(), "/x", "{}")).text());
            assertEquals("CONNECT 127.0.0.1:" + tls.port() + " HTTP/1.1", proxy.firstLines.get(0));

            plain.enqueue(MockResponse.sse("data: open\n\n"));
            assertEquals("data: open\n\n", send(client, post(plain.baseUrl(), "/y?z=1", "{}")).text());
            assertEquals("POST http://127.0.0.1:" + plain.port() + "/y?z=1 HTTP/1.1", proxy.firstLines.get(1));
        }
    }

    @Test
    void send_serverThatNeverAccepts_failsWithTheConnectTimeout() throws Exception {
        // a full listen backlog drops further SYNs: a connect hangs until someone gives up
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), silent.getLocalPort());
            List<Socket> fill = new ArrayList<>();
            try {
                while (true) {
                    Socket s = new Socket();
                    try {
                        s.connect(address, 300);
                        fill.add(s);
                    } catch (SocketTimeoutException full) {
                        s.close();
                        break;
                    }
                    assertTrue(fill.size() < 64, "the listen backlog never filled");
                }
                Collected c = send(client(SSLContext.getDefault(), null, Duration.ofMillis(500)),
                        post(URI.create("http://127.0.0.1:" + silent.getLocalPort()), "/x", "{}"));
                assertInstanceOf(UpstreamConnectTimeoutException.class, c.failure);
                assertFalse(c.failedAfterHead);
            } finally {
                for (Socket s : fill) {
                    s.close();
                }
            }
        }
    }

    @Test
    void cancel_whileStreaming_closesTheConnectionAndTheHandlerHearsNothingMore() throws Exception {
        try (MockUpstream upstream = MockUpstream.start()) {
            upstream.enqueue(MockResponse.sse("data: 1\n\ndata: 2\n\n").splitAt(9).stallAfter(1));
            Collected c = new Collected() {
                @Override
                public synchronized void onBody(ByteBuffer bytes) {
                    super.onBody(bytes);
                    result.complete(this);
                }
            };
            UpstreamExchange exchange = client().send(post(upstream.baseUrl(), "/x", "{}"), c);
            c.await();
            exchange.cancel();
            assertTrue(upstream.awaitClientDisconnect(Duration.ofSeconds(10)));
            assertEquals(null, c.failure);
            assertEquals("data: 1\n\n", c.text());
        }
    }

    @Test
    void close_endsEveryIoThread() throws Exception {
        try (MockUpstream upstream = MockUpstream.start()) {
            UpstreamClient client = new UpstreamClient(UpstreamClient.Options.defaults(Duration.ofSeconds(5), 2), timers);
            upstream.enqueue(MockResponse.sse("data: 1\n\n"));
            assertEquals("data: 1\n\n", send(client, post(upstream.baseUrl(), "/x", "{}")).text());
            client.close();
            assertEquals(List.of(), Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("ai-progress-upstream-") && t.isAlive()).toList());
            assertThrows(IllegalStateException.class, () -> client.send(post(upstream.baseUrl(), "/x", "{}"), new Collected()));
        }
    }

    /**
     * A forward proxy on loopback: answers CONNECT with 200 and pipes bytes, or forwards a plain
     * request to its absolute-form target; records each connection's first line. As {@link #direct}
     * it pipes every connection to one port and only counts connections.
     */
    static final class CountingProxy implements AutoCloseable {
        final AtomicInteger connections = new AtomicInteger();
        final List<String> firstLines = java.util.Collections.synchronizedList(new ArrayList<>());
        private final ServerSocket server;
        private final int fixedTarget;

        private CountingProxy(int fixedTarget) throws IOException {
            this.fixedTarget = fixedTarget;
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread t = new Thread(this::accept, "counting-proxy");
            t.setDaemon(true);
            t.start();
        }

        static CountingProxy direct(int port) throws IOException {
            return new CountingProxy(port);
        }

        static CountingProxy forwarding() throws IOException {
            return new CountingProxy(-1);
        }

        int port() {
            return server.getLocalPort();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    connections.incrementAndGet();
                    Thread t = new Thread(() -> serve(client), "counting-proxy-conn");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket client) {
            try (client) {
                InputStream in = client.getInputStream();
                if (fixedTarget > 0) {
                    try (Socket up = new Socket(InetAddress.getLoopbackAddress(), fixedTarget)) {
                        pipe(in, up.getOutputStream());
                        up.getInputStream().transferTo(client.getOutputStream());
                    }
                    return;
                }
                String head = readHead(in);
                String first = head.substring(0, head.indexOf("\r\n"));
                firstLines.add(first);
                if (first.startsWith("CONNECT ")) {
                    String[] hostPort = first.split(" ")[1].split(":");
                    try (Socket up = new Socket(hostPort[0], Integer.parseInt(hostPort[1]))) {
                        client.getOutputStream().write("HTTP/1.1 200 Connection Established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                        pipe(in, up.getOutputStream());
                        up.getInputStream().transferTo(client.getOutputStream());
                    }
                } else {
                    URI target = URI.create(first.split(" ")[1]);
                    try (Socket up = new Socket(target.getHost(), target.getPort())) {
                        String originForm = head.replaceFirst(" http://[^/ ]+", " ") + "";
                        up.getOutputStream().write(originForm.getBytes(StandardCharsets.ISO_8859_1));
                        pipe(in, up.getOutputStream());
                        up.getInputStream().transferTo(client.getOutputStream());
                    }
                }
            } catch (IOException e) {
                // a side closed
            }
        }

        /** Copies client → upstream on a thread of its own. */
        private static void pipe(InputStream from, OutputStream to) {
            Thread t = new Thread(() -> {
                try {
                    from.transferTo(to);
                } catch (IOException ignored) {
                    // a side closed
                }
            }, "counting-proxy-pipe");
            t.setDaemon(true);
            t.start();
        }

        private static String readHead(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("closed inside the head");
                }
                head.write(b);
            }
            return head.toString(StandardCharsets.ISO_8859_1);
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
