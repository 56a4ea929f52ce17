package dev.aiprogress.benchmarks.load;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load harness's upstream: an OpenAI-compatible {@code /chat/completions} SSE server (DeepSeek
 * {@code reasoning_content} for the first share of chunks, then {@code content}), and on
 * {@link #ANTHROPIC_PATH} the Anthropic Messages stream (a thinking block, then a text block;
 * docs/PROVIDERS.md "Anthropic Messages"), that stamps every
 * chunk's text with {@code #<seq>@<System.nanoTime() at send>;} so a client in the same JVM measures
 * one-way latency per chunk. The stream's shape travels in the request itself (the last user
 * message is {@code load chunks=N pacing-us=P size=S reasoning-pct=R ttft-us=T}), so the plugin and
 * a direct client ask for exactly the same bytes.
 *
 * <p>One blocking thread per connection (keep-alive): simple and deterministic; chunks go on an
 * absolute schedule (start + ttft + i × pacing), so a late wake-up does not shift later chunks and
 * the stamp is taken right before the write, so mock jitter never counts as plugin latency.
 * Fine up to a few thousand connections on loopback; beyond that it would need NIO.
 */
final class PacedMock implements AutoCloseable {

    /** Where the plugin's anthropic dialect posts ({@code {base}/v1/messages}); every other path gets the OpenAI format. */
    static final String ANTHROPIC_PATH = "/v1/messages";

    private static final Pattern SPEC = Pattern.compile(
            "load chunks=(\\d+) pacing-us=(\\d+) size=(\\d+) reasoning-pct=(\\d+) ttft-us=(\\d+)");

    private final ServerSocket server;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    final AtomicLong chunksSent = new AtomicLong();
    final AtomicLong streamsServed = new AtomicLong();
    /** Connections accepted: fewer than streams means keep-alive reuse (a new one costs a TCP handshake on the TTFT). */
    final AtomicLong connections = new AtomicLong();
    private volatile boolean closed;

    PacedMock() throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
        Thread acceptor = new Thread(this::acceptLoop, "paced-mock-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** The user message that asks this mock for a stream of that shape. */
    static String spec(int chunks, long pacingMicros, int size, int reasoningPct, long ttftMicros) {
        return "load chunks=" + chunks + " pacing-us=" + pacingMicros + " size=" + size
                + " reasoning-pct=" + reasoningPct + " ttft-us=" + ttftMicros;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                connections.incrementAndGet();
                sockets.add(s);
                Thread t = new Thread(() -> serve(s), "paced-mock-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            while (!closed) {
                String[] pathAndBody = readRequest(in);
                if (pathAndBody == null) {
                    return;
                }
                String body = pathAndBody[1];
                Matcher m = SPEC.matcher(body);
                if (!m.find()) {
                    byte[] err = "{\"error\":{\"message\":\"no load spec\"}}".getBytes(StandardCharsets.US_ASCII);
                    out.write(("HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: "
                            + err.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(err);
                    out.flush();
                    continue;
                }
                boolean anthropic = pathAndBody[0].startsWith(ANTHROPIC_PATH);
                (anthropic ? (Streamer) this::streamAnthropic : (Streamer) this::stream).run(out, Integer.parseInt(m.group(1)), Long.parseLong(m.group(2)), Integer.parseInt(m.group(3)),
                        Integer.parseInt(m.group(4)), Long.parseLong(m.group(5)));
            }
        } catch (IOException e) {
            // client went away (a cancel, or the harness closing)
        } finally {
            sockets.remove(s);
        }
    }

    private void stream(OutputStream out, int chunks, long pacingMicros, int size, int reasoningPct, long ttftMicros)
            throws IOException {
        long start = System.nanoTime();
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        int reasoningChunks = chunks * reasoningPct / 100;
        StringBuilder sb = new StringBuilder(256);
        for (int i = 0; i < chunks; i++) {
            long due = start + ttftMicros * 1000 + i * pacingMicros * 1000;
            for (long now = System.nanoTime(); now < due; now = System.nanoTime()) {
                LockSupport.parkNanos(due - now);
            }
            sb.setLength(0);
            sb.append("data: {\"id\":\"l\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
                    + "\"choices\":[{\"index\":0,\"delta\":{\"")
                    .append(i < reasoningChunks ? "reasoning_content" : "content").append("\":\"");
            int mark = sb.length();
            sb.append('#').append(i + 1).append('@').append(System.nanoTime()).append(';');
            for (int pad = sb.length() - mark; pad < size; pad++) {
                sb.append('a');
            }
            sb.append("\"},\"finish_reason\":null}]}\n\n");
            writeChunk(out, sb);
            chunksSent.incrementAndGet();
        }
        sb.setLength(0);
        sb.append("data: {\"id\":\"l\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
                + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":").append(chunks)
                .append(",\"total_tokens\":").append(chunks + 5).append("}}\n\ndata: [DONE]\n\n");
        writeChunk(out, sb);
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        streamsServed.incrementAndGet();
    }

    /** One stream's writer: the same schedule and stamps in either dialect. */
    private interface Streamer {
        void run(OutputStream out, int chunks, long pacingMicros, int size, int reasoningPct, long ttftMicros)
                throws IOException;
    }

    /**
     * The Messages API event sequence of a thinking model: message_start and the thinking block's
     * start go out with the response head (a real server sends them before the first token); the
     * signature_delta, the thinking block's stop and the text block's start ride in the same write
     * as the first text delta, and message_delta + message_stop in the one after the last chunk, so
     * every write carries exactly one stamp, as in the OpenAI format.
     */
    private void streamAnthropic(OutputStream out, int chunks, long pacingMicros, int size, int reasoningPct, long ttftMicros)
            throws IOException {
        long start = System.nanoTime();
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        int reasoningChunks = chunks * reasoningPct / 100;
        StringBuilder sb = new StringBuilder(512);
        sb.append("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_l\",\"type\":\"message\","
                + "\"role\":\"assistant\",\"content\":[],\"model\":\"m\",\"stop_reason\":null,\"stop_sequence\":null,"
                + "\"usage\":{\"input_tokens\":5,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,"
                + "\"output_tokens\":1}}}\n\n");
        if (reasoningChunks > 0) {
            sb.append("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
                    + "\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\"}}\n\n");
        }
        writeChunk(out, sb);
        int textIndex = reasoningChunks > 0 ? 1 : 0;
        for (int i = 0; i < chunks; i++) {
            long due = start + ttftMicros * 1000 + i * pacingMicros * 1000;
            for (long now = System.nanoTime(); now < due; now = System.nanoTime()) {
                LockSupport.parkNanos(due - now);
            }
            sb.setLength(0);
            boolean thinking = i < reasoningChunks;
            if (i == reasoningChunks) {
                if (reasoningChunks > 0) {
                    sb.append("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                            + "\"delta\":{\"type\":\"signature_delta\",\"signature\":\"c2lnbmF0dXJl\"}}\n\n"
                            + "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n");
                }
                sb.append("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":").append(textIndex)
                        .append(",\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n");
            }
            sb.append("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":")
                    .append(thinking ? 0 : textIndex)
                    .append(thinking ? ",\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\""
                            : ",\"delta\":{\"type\":\"text_delta\",\"text\":\"");
            int mark = sb.length();
            sb.append('#').append(i + 1).append('@').append(System.nanoTime()).append(';');
            for (int pad = sb.length() - mark; pad < size; pad++) {
                sb.append('a');
            }
            sb.append("\"}}\n\n");
            writeChunk(out, sb);
            chunksSent.incrementAndGet();
        }
        sb.setLength(0);
        if (reasoningChunks == chunks && chunks > 0) {
            // an all-thinking stream still closes its thinking block, with its signature
            sb.append("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                    + "\"delta\":{\"type\":\"signature_delta\",\"signature\":\"c2lnbmF0dXJl\"}}\n\n");
            sb.append("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n");
        } else if (chunks > reasoningChunks) {
            sb.append("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":").append(textIndex)
                    .append("}\n\n");
        }
        sb.append("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":").append(chunks + 1).append("}}\n\n"
                + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        writeChunk(out, sb);
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        streamsServed.incrementAndGet();
    }

    private static void writeChunk(OutputStream out, CharSequence data) throws IOException {
        byte[] bytes = data.toString().getBytes(StandardCharsets.UTF_8);
        out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.write('\r');
        out.write('\n');
        out.flush();
    }

    /** Reads one request's head and Content-Length body: {path, body}; null at EOF. */
    private static String[] readRequest(InputStream in) throws IOException {
        int contentLength = 0;
        String path = null;
        while (true) {
            String line = readLine(in);
            if (line == null) {
                return path != null ? new String[] {path, ""} : null;
            }
            if (path == null) {
                String[] parts = line.split(" ");
                path = parts.length > 1 ? parts[1] : "";
                continue;
            }
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
                contentLength = Integer.parseInt(line.substring(colon + 1).trim());
            }
        }
        byte[] body = in.readNBytes(contentLength);
        return new String[] {path, new String(body, StandardCharsets.UTF_8)};
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                int n = sb.length();
                if (n > 0 && sb.charAt(n - 1) == '\r') {
                    sb.setLength(n - 1);
                }
                return sb.toString();
            }
            sb.append((char) c);
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }
}
