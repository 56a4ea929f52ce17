package dev.aiprogress.benchmarks.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Many idle WebSockets from one selector thread (T8): a JDK {@code WebSocket} per socket costs tens
 * of KB and threads in the client JVM, this costs a small buffer. It does the HTTP/1.1 Upgrade
 * (random {@code Sec-WebSocket-Key}, checks {@code Sec-WebSocket-Accept}), masks what it sends,
 * answers WebSocket pings with pongs and Engine.IO pings {@code 2} with {@code 3}, and for
 * Socket.IO sends {@code 40} after the open packet and counts the socket ready at {@code 40{...}}.
 * Not thread-safe except through {@link #open} and {@link #closeAll}, which hand work to the selector thread.
 */
final class IdleSocketClient implements AutoCloseable {

    enum Kind { PLAIN, SOCKET_IO }

    /** One batch of sockets; counters are written by the selector thread and read by anyone. */
    static final class Batch {
        final String path;
        final Kind kind;
        final String[] cookies;   // one per socket, null = none
        final int total;
        final AtomicInteger upgraded = new AtomicInteger();
        final AtomicInteger ready = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        /** Sockets that were ready and then closed by the server (close frame or EOF) before we closed them. */
        final AtomicInteger lostAfterReady = new AtomicInteger();
        final List<String> errors = Collections.synchronizedList(new ArrayList<>());
        final List<Conn> conns = new ArrayList<>();
        int started;
        volatile boolean closing;

        Batch(String path, Kind kind, String[] cookies) {
            this.path = path;
            this.kind = kind;
            this.cookies = cookies;
            this.total = cookies.length;
        }

        boolean settled() {
            return ready.get() + failed.get() >= total;
        }

        void fail(Conn c, String why) {
            failed.incrementAndGet();
            if (errors.size() < 5) {
                errors.add(why);
            }
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s: started %d/%d upgraded %d ready %d failed %d lost-after-ready %d%s",
                    path, started, total, upgraded.get(), ready.get(), failed.get(), lostAfterReady.get(),
                    errors.isEmpty() ? "" : " errors " + errors);
        }
    }

    static final class Conn {
        final Batch batch;
        final SocketChannel ch;
        final String key;
        ByteBuffer in = ByteBuffer.allocate(512);
        ArrayDeque<ByteBuffer> pending;
        String pendingCookie;
        boolean upgraded;
        boolean ready;
        boolean done;   // failed, lost, or closed by us: counted once

        Conn(Batch batch, SocketChannel ch, String key) {
            this.batch = batch;
            this.ch = ch;
            this.key = key;
        }
    }

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final InetSocketAddress server;
    private final int maxInFlight;
    private final double perSecond;
    private final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final List<Batch> opening = new ArrayList<>();
    private int inFlight;
    private long windowStart;
    private int openedInWindow;
    private volatile boolean running = true;
    private final ByteBuffer readScratch = ByteBuffer.allocate(64 * 1024);

    /** @param perSecond connection attempts per second at most; maxInFlight handshakes at once at most */
    IdleSocketClient(InetSocketAddress server, double perSecond, int maxInFlight) throws IOException {
        this.server = server;
        this.perSecond = perSecond;
        this.maxInFlight = maxInFlight;
        this.selector = Selector.open();
        this.thread = new Thread(this::loop, "idle-socket-selector");
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts opening one socket per cookie at the client's bounded rate; returns at once. */
    Batch open(String path, Kind kind, String[] cookies) {
        Batch b = new Batch(path, kind, cookies);
        submit(() -> {
            opening.add(b);
            windowStart = System.nanoTime();
            openedInWindow = 0;
        });
        return b;
    }

    /** Closes every socket of the batch (TCP close, no close frame: what a vanished browser does). */
    void closeAll(Batch b) throws InterruptedException {
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        submit(() -> {
            b.closing = true;
            opening.remove(b);
            for (Conn c : b.conns) {
                if (!c.done && !c.ready) {
                    inFlight--;
                }
                c.done = true;
                closeQuietly(c);
            }
            done.countDown();
        });
        done.await();
    }

    private void submit(Runnable r) {
        tasks.add(r);
        selector.wakeup();
    }

    private void loop() {
        try {
            while (running) {
                for (Runnable r = tasks.poll(); r != null; r = tasks.poll()) {
                    r.run();
                }
                long waitMs = startMore();
                selector.select(waitMs);
                for (SelectionKey k : selector.selectedKeys()) {
                    Conn c = (Conn) k.attachment();
                    try {
                        if (!k.isValid()) {
                            continue;
                        }
                        if (k.isConnectable()) {
                            c.ch.finishConnect();
                            k.interestOps(SelectionKey.OP_READ);
                            sendUpgrade(c);
                        }
                        if (k.isValid() && k.isWritable()) {
                            flush(c, k);
                        }
                        if (k.isValid() && k.isReadable()) {
                            read(c);
                        }
                    } catch (IOException | RuntimeException e) {
                        lose(c, e.toString());
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            running = false;
        }
    }

    /** Opens what the rate and the in-flight bound allow; returns how long the selector may sleep. */
    private long startMore() {
        if (opening.isEmpty()) {
            return 0; // select(0) = until woken: nothing to open, only sockets to serve
        }
        Batch b = opening.get(0);
        long elapsed = System.nanoTime() - windowStart;
        long allowed = (long) (elapsed / 1e9 * perSecond) + 1;
        while (b.started < b.total && inFlight < maxInFlight && openedInWindow < allowed) {
            String cookie = b.cookies[b.started];
            b.started++;
            openedInWindow++;
            try {
                SocketChannel ch = SocketChannel.open();
                ch.configureBlocking(false);
                ch.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
                byte[] nonce = new byte[16];
                ThreadLocalRandom.current().nextBytes(nonce);
                Conn c = new Conn(b, ch, Base64.getEncoder().encodeToString(nonce));
                b.conns.add(c);
                c.pendingCookie = cookie;
                inFlight++;
                if (ch.connect(server)) {
                    ch.register(selector, SelectionKey.OP_READ, c);
                    sendUpgrade(c);
                } else {
                    ch.register(selector, SelectionKey.OP_CONNECT, c);
                }
            } catch (IOException e) {
                b.fail(null, "connect: " + e);
                inFlight--;
            }
        }
        if (b.started >= b.total) {
            opening.remove(0);
            return 0;
        }
        return 2;
    }

    private void sendUpgrade(Conn c) throws IOException {
        StringBuilder req = new StringBuilder(256);
        req.append("GET ").append(c.batch.path).append(" HTTP/1.1\r\nHost: ").append(server.getHostString()).append(':')
                .append(server.getPort()).append("\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ")
                .append(c.key).append("\r\nSec-WebSocket-Version: 13\r\n");
        if (c.pendingCookie != null) {
            req.append("Cookie: ").append(c.pendingCookie).append("\r\n");
            c.pendingCookie = null;
        }
        req.append("\r\n");
        write(c, ByteBuffer.wrap(req.toString().getBytes(StandardCharsets.US_ASCII)));
    }

    private void read(Conn c) throws IOException {
        readScratch.clear();
        int n = c.ch.read(readScratch);
        if (n < 0) {
            lose(c, "closed by server" + (c.upgraded ? "" : " before the upgrade reply"));
            return;
        }
        readScratch.flip();
        if (c.in.remaining() < readScratch.remaining()) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(c.in.capacity() * 2, c.in.position() + readScratch.remaining() + 64));
            c.in.flip();
            bigger.put(c.in);
            c.in = bigger;
        }
        c.in.put(readScratch);
        c.in.flip();
        try {
            if (!c.upgraded && !readHead(c)) {
                return;
            }
            while (!c.done && readFrame(c)) {
                // every complete frame handled
            }
        } finally {
            c.in.compact();
        }
    }

    /** Parses the 101 reply once it is complete; false = need more bytes. */
    private boolean readHead(Conn c) throws IOException {
        ByteBuffer in = c.in;
        int end = -1;
        for (int i = in.position(); i + 3 < in.limit(); i++) {
            if (in.get(i) == '\r' && in.get(i + 1) == '\n' && in.get(i + 2) == '\r' && in.get(i + 3) == '\n') {
                end = i + 4;
                break;
            }
        }
        if (end < 0) {
            return false;
        }
        byte[] head = new byte[end - in.position()];
        in.get(head);
        String text = new String(head, StandardCharsets.ISO_8859_1);
        if (!text.startsWith("HTTP/1.1 101")) {
            lose(c, "no upgrade: " + text.lines().findFirst().orElse(""));
            return false;
        }
        String accept = null;
        for (String line : text.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Sec-WebSocket-Accept")) {
                accept = line.substring(colon + 1).trim();
            }
        }
        if (!expectedAccept(c.key).equals(accept)) {
            lose(c, "bad Sec-WebSocket-Accept " + accept);
            return false;
        }
        c.upgraded = true;
        c.batch.upgraded.incrementAndGet();
        if (c.batch.kind == Kind.PLAIN) {
            becomeReady(c); // the plain endpoint says nothing on open; a refusal arrives as an error frame + close, counted as lost
        }
        return true;
    }

    /** Handles one frame if complete; false = need more bytes. */
    private boolean readFrame(Conn c) throws IOException {
        ByteBuffer in = c.in;
        int start = in.position();
        if (in.remaining() < 2) {
            return false;
        }
        int b0 = in.get(start) & 0xff;
        int b1 = in.get(start + 1) & 0xff;
        int header = 2;
        long len = b1 & 0x7f;
        if (len == 126) {
            if (in.remaining() < 4) {
                return false;
            }
            len = in.getShort(start + 2) & 0xffff;
            header = 4;
        } else if (len == 127) {
            if (in.remaining() < 10) {
                return false;
            }
            len = in.getLong(start + 2);
            header = 10;
        }
        boolean masked = (b1 & 0x80) != 0;
        int maskAt = start + header;
        if (masked) {
            header += 4;
        }
        if (in.remaining() < header + len) {
            if (header + len > in.capacity()) {
                ByteBuffer bigger = ByteBuffer.allocate((int) (header + len + 64));
                bigger.put(in);
                bigger.flip();
                c.in = bigger;
            }
            return false;
        }
        byte[] payload = new byte[(int) len];
        for (int i = 0; i < len; i++) {
            byte b = in.get(start + header + i);
            payload[i] = masked ? (byte) (b ^ in.get(maskAt + (i & 3))) : b;
        }
        in.position(start + header + (int) len);
        int op = b0 & 0x0f;
        if (op == 0x9) {
            write(c, frame(0xA, payload));
        } else if (op == 0x8) {
            lose(c, "close frame " + (len >= 2 ? ((payload[0] & 0xff) << 8 | (payload[1] & 0xff)) : 0));
        } else if (op == 0x1 && c.batch.kind == Kind.SOCKET_IO) {
            onSocketIo(c, new String(payload, StandardCharsets.UTF_8));
        }
        return true;
    }

    private void onSocketIo(Conn c, String msg) throws IOException {
        if (msg.startsWith("0{")) {
            write(c, frame(0x1, "40".getBytes(StandardCharsets.US_ASCII)));
        } else if (msg.equals("2")) {
            write(c, frame(0x1, "3".getBytes(StandardCharsets.US_ASCII)));
        } else if (msg.startsWith("40{") && msg.contains("\"sid\"")) {
            becomeReady(c);
        } else if (msg.startsWith("44")) {
            lose(c, "connect error " + msg);
        }
    }

    private void becomeReady(Conn c) {
        if (!c.ready && !c.done) {
            c.ready = true;
            inFlight--;
            c.batch.ready.incrementAndGet();
        }
    }

    /** The server closed or refused the socket, or the exchange broke: counted once, as a failure or a loss. */
    private void lose(Conn c, String why) {
        if (c == null || c.done) {
            return;
        }
        c.done = true;
        if (c.batch.closing) {
            closeQuietly(c);
            return;
        }
        if (c.ready) {
            c.batch.lostAfterReady.incrementAndGet();
            if (c.batch.errors.size() < 5) {
                c.batch.errors.add("after ready: " + why);
            }
        } else {
            inFlight--;
            c.batch.fail(c, why);
        }
        closeQuietly(c);
    }

    private static void closeQuietly(Conn c) {
        try {
            c.ch.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    /** A client frame: FIN, masked with a fresh key (RFC 6455 5.3); payloads here are under 126 bytes. */
    static ByteBuffer frame(int op, byte[] payload) {
        if (payload.length > 125) {
            throw new IllegalArgumentException("control-sized payloads only");
        }
        ByteBuffer f = ByteBuffer.allocate(6 + payload.length);
        f.put((byte) (0x80 | op));
        f.put((byte) (0x80 | payload.length));
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        f.put(mask);
        for (int i = 0; i < payload.length; i++) {
            f.put((byte) (payload[i] ^ mask[i & 3]));
        }
        f.flip();
        return f;
    }

    static String expectedAccept(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void write(Conn c, ByteBuffer buf) throws IOException {
        if (c.pending != null && !c.pending.isEmpty()) {
            c.pending.add(buf);
            return;
        }
        c.ch.write(buf);
        if (buf.hasRemaining()) {
            if (c.pending == null) {
                c.pending = new ArrayDeque<>();
            }
            c.pending.add(buf);
            SelectionKey k = c.ch.keyFor(selector);
            k.interestOps(k.interestOps() | SelectionKey.OP_WRITE);
        }
    }

    private void flush(Conn c, SelectionKey k) throws IOException {
        while (c.pending != null && !c.pending.isEmpty()) {
            ByteBuffer b = c.pending.peek();
            c.ch.write(b);
            if (b.hasRemaining()) {
                return;
            }
            c.pending.poll();
        }
        k.interestOps(k.interestOps() & ~SelectionKey.OP_WRITE);
    }

    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (SelectionKey k : selector.keys()) {
            try {
                k.channel().close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
