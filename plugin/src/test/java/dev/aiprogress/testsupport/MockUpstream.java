package dev.aiprogress.testsupport;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP/1.1 upstream for tests and benchmarks: a raw {@link ServerSocket} on 127.0.0.1
 * with an ephemeral port, one daemon thread per connection, no dependencies. Responses are served
 * in FIFO order; with none enqueued it answers 500 with a JSON error.
 *
 * <pre>{@code
 * try (MockUpstream upstream = MockUpstream.start()) {
 *     upstream.enqueue(MockResponse.sse(OpenAiStream.create("m").content("Hi").finish("stop").done().build())
 *             .splitEvery(1));
 *     URI base = upstream.baseUrl();                       // http://127.0.0.1:<port>
 *     ... run the client against base ...
 *     RecordedRequest sent = upstream.takeRequest(Duration.ofSeconds(5));
 *     assertTrue(upstream.awaitClientDisconnect(Duration.ofSeconds(5))); // after a cancel
 * }
 * }</pre>
 *
 * <p>A client disconnect is counted when the client closes the connection while a response is
 * being delivered (before the status line, between pieces, or during a stall): a read sees EOF or
 * a write fails. A client closing an idle keep-alive connection is not counted.
 */
public final class MockUpstream implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(MockUpstream.class.getName());
    private static final Duration POLL = Duration.ofMillis(20);

    private final ServerSocket server;
    /** {@code http}, or {@code https} behind {@link TestTls}'s certificate. */
    private final String scheme;
    private final BlockingQueue<MockResponse> responses = new LinkedBlockingQueue<>();
    private final BlockingQueue<RecordedRequest> requests = new LinkedBlockingQueue<>();
    private final Semaphore disconnects = new Semaphore(0);
    private final AtomicInteger requestCount = new AtomicInteger();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private MockUpstream(ServerSocket server, String scheme) {
        this.server = server;
        this.scheme = scheme;
    }

    public static MockUpstream start() throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return started(new MockUpstream(socket, "http"));
    }

    /**
     * The same mock behind TLS with {@code certificate}'s key ({@link TestTls}): {@link #baseUrl()} is
     * {@code https://127.0.0.1:<port>}.
     */
    public static MockUpstream startTls(TestTls certificate) throws IOException {
        ServerSocket socket = certificate.serverContext().getServerSocketFactory().createServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return started(new MockUpstream(socket, "https"));
    }

    private static MockUpstream started(MockUpstream upstream) {
        ServerSocket socket = upstream.server;
        Thread acceptor = new Thread(upstream::acceptLoop, "mock-upstream-accept-" + socket.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
        return upstream;
    }

    /** {@code http://127.0.0.1:<port>} (or {@code https://...}), without a trailing slash. */
    public URI baseUrl() {
        return URI.create(scheme + "://127.0.0.1:" + server.getLocalPort());
    }

    public int port() {
        return server.getLocalPort();
    }

    public MockUpstream enqueue(MockResponse response) {
        responses.add(response);
        return this;
    }

    /** The next request received, waiting up to {@code timeout}; fails the test when none came. */
    public RecordedRequest takeRequest(Duration timeout) throws InterruptedException {
        RecordedRequest request = requests.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (request == null) {
            throw new AssertionError("no request reached the mock upstream within " + timeout);
        }
        return request;
    }

    public int requestCount() {
        return requestCount.get();
    }

    /** Waits for one client disconnect during a response (see the class comment); true when it came. */
    public boolean awaitClientDisconnect(Duration timeout) throws InterruptedException {
        return disconnects.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket socket = server.accept();
                socket.setTcpNoDelay(true);
                sockets.add(socket);
                Thread thread = new Thread(() -> serve(socket), "mock-upstream-conn-" + socket.getPort());
                thread.setDaemon(true);
                thread.start();
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(System.Logger.Level.WARNING, "mock upstream accept failed", e);
                }
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (!closed) {
                socket.setSoTimeout(0);
                RecordedRequest request = HttpRequestReader.read(in);
                if (request == null) {
                    return;
                }
                requestCount.incrementAndGet();
                requests.add(request);
                MockResponse response = responses.poll();
                if (response == null) {
                    response = MockResponse.status(500).header("Content-Type", "application/json")
                            .body("{\"error\":{\"message\":\"MockUpstream: no response enqueued\"}}").contentLength();
                }
                boolean clientWantsClose = request.header("Connection").filter("close"::equalsIgnoreCase).isPresent();
                if (!new Delivery(socket, in, out, response).run() || clientWantsClose) {
                    return;
                }
            }
        } catch (IOException e) {
            // the client went away between requests, or the mock is closing
        } finally {
            sockets.remove(socket);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    /** Writes one response; false when the connection is finished. */
    private final class Delivery {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final MockResponse response;

        Delivery(Socket socket, InputStream in, OutputStream out, MockResponse response) {
            this.socket = socket;
            this.in = in;
            this.out = out;
            this.response = response;
        }

        boolean run() {
            try {
                if (response.closeWithoutAnswer) {
                    socket.close();
                    return false;
                }
                if (!response.headersDelay.isZero() && waitOrDisconnect(response.headersDelay)) {
                    return false;
                }
                writeHead();
                int limit = response.truncateAfterBytes >= 0 ? response.truncateAfterBytes
                        : response.resetAfterBytes >= 0 ? response.resetAfterBytes : Integer.MAX_VALUE;
                int sent = 0;
                List<byte[]> pieces = response.generator == null ? response.pieces() : List.of();
                int count = response.generator == null ? pieces.size() : response.generatedPieces;
                for (int i = 0; i < count && sent < limit; i++) {
                    byte[] piece = response.generator == null ? pieces.get(i) : response.generator.apply(i);
                    int length = Math.min(piece.length, limit - sent);
                    writePiece(piece, length);
                    sent += length;
                    if (i + 1 == response.stallAfterPieces) {
                        waitOrDisconnect(null);
                        return false;
                    }
                    if (!response.pace.isZero() && i + 1 < count && waitOrDisconnect(response.pace)) {
                        return false;
                    }
                }
                if (response.resetAfterBytes >= 0) {
                    socket.setSoLinger(true, 0);
                    socket.close();
                    return false;
                }
                if (response.truncateAfterBytes >= 0) {
                    socket.close();
                    return false;
                }
                if (response.framing == MockResponse.BodyFraming.CHUNKED) {
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
                return response.framing != MockResponse.BodyFraming.CLOSE_DELIMITED;
            } catch (IOException writeFailed) {
                noteDisconnect();
                return false;
            }
        }

        private void writeHead() throws IOException {
            StringBuilder head = new StringBuilder("HTTP/1.1 ").append(response.status).append(' ')
                    .append(reason(response.status)).append("\r\n");
            for (Map.Entry<String, String> header : response.headers.entrySet()) {
                head.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
            }
            switch (response.framing) {
                case CHUNKED -> head.append("Transfer-Encoding: chunked\r\n");
                case CONTENT_LENGTH -> {
                    if (response.generator != null) {
                        throw new IllegalStateException("a generated body has no Content-Length: use chunked or close-delimited");
                    }
                    head.append("Content-Length: ").append(response.body.length).append("\r\n");
                }
                case CLOSE_DELIMITED -> head.append("Connection: close\r\n");
            }
            head.append("\r\n");
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        private void writePiece(byte[] piece, int length) throws IOException {
            if (length == 0) {
                return;
            }
            if (response.framing == MockResponse.BodyFraming.CHUNKED) {
                out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(piece, 0, length);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            } else {
                out.write(piece, 0, length);
            }
            out.flush();
        }

        /** Waits {@code duration} (forever when null) watching for the client to close; true if it did. */
        private boolean waitOrDisconnect(Duration duration) {
            long deadline = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
            try {
                while (!closed) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    socket.setSoTimeout((int) Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), POLL.toMillis())));
                    try {
                        if (in.read() < 0) {
                            noteDisconnect();
                            return true;
                        }
                    } catch (SocketTimeoutException stillOpen) {
                        // keep waiting
                    }
                }
            } catch (IOException broken) {
                noteDisconnect();
                return true;
            }
            return true;
        }

        private void noteDisconnect() {
            if (!closed) {
                disconnects.release();
            }
        }
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            default -> "Status";
        };
    }

    /** Reads one HTTP/1.1 request: request line, headers, a Content-Length or chunked body. */
    static final class HttpRequestReader {
        private HttpRequestReader() {
        }

        /** null at a clean end of the connection. */
        static RecordedRequest read(InputStream in) throws IOException {
            String requestLine = readLine(in);
            if (requestLine == null) {
                return null;
            }
            String[] parts = requestLine.split(" ");
            if (parts.length < 3) {
                throw new IOException("bad request line");
            }
            Map<String, List<String>> headers = new LinkedHashMap<>();
            String line;
            while ((line = readLine(in)) != null && !line.isEmpty()) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                            .add(line.substring(colon + 1).trim());
                }
            }
            byte[] body;
            List<String> length = headers.get("content-length");
            List<String> encoding = headers.get("transfer-encoding");
            if (encoding != null && encoding.get(0).equalsIgnoreCase("chunked")) {
                body = readChunked(in);
            } else if (length != null) {
                body = in.readNBytes(Integer.parseInt(length.get(0)));
            } else {
                body = new byte[0];
            }
            return new RecordedRequest(parts[0], parts[1], headers, new String(body, StandardCharsets.UTF_8));
        }

        private static byte[] readChunked(InputStream in) throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                String sizeLine = readLine(in);
                if (sizeLine == null) {
                    throw new IOException("EOF in chunked request body");
                }
                int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
                if (size == 0) {
                    while (true) {
                        String trailer = readLine(in);
                        if (trailer == null || trailer.isEmpty()) {
                            return body.toByteArray();
                        }
                    }
                }
                body.write(in.readNBytes(size));
                readLine(in);
            }
        }

        private static String readLine(InputStream in) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                if (b == '\n') {
                    byte[] bytes = line.toByteArray();
                    int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                    return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
                }
                line.write(b);
            }
            return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
