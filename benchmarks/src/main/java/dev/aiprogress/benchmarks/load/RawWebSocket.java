package dev.aiprogress.benchmarks.load;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A plain-JSON WebSocket opened by hand on a {@link Socket}, so the harness controls exactly when
 * bytes leave the kernel: with {@code reading = false} it completes the handshake and never reads
 * again (a 4 KB receive buffer, so the server's writes back up at once: a T13 slow consumer); with
 * {@code reading = true} a daemon thread reads and discards everything (a socket that keeps up,
 * T13's reference). The JDK WebSocket client cannot stop reading at the TCP level: it always
 * has a read posted.
 */
final class RawWebSocket implements AutoCloseable {

    /** What {@link #drain} found behind the unread bytes. */
    enum Drained { OPEN, CLOSED, CLOSE_FRAME_1008, CLOSE_FRAME_OTHER }

    private final Socket socket = new Socket();
    final AtomicLong bytesRead = new AtomicLong();
    private final boolean reading;

    RawWebSocket(int port, String sid, boolean reading) throws Exception {
        this.reading = reading;
        if (!reading) {
            // a reader keeps the OS default: with 4 KB it falls behind a flood and is rightly closed too
            socket.setReceiveBufferSize(4096);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(5000);
        String key = Base64.getEncoder().encodeToString("raw-socket-key!!".getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().write(("GET /ai-progress/ws HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
                + "\r\nSec-WebSocket-Version: 13\r\nCookie: sid=" + sid + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        // byte by byte: reading ahead would pull frames out of the kernel buffer the test wants full
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IllegalStateException("raw socket: no handshake reply");
            }
            head.append((char) c);
        }
        if (!head.toString().startsWith("HTTP/1.1 101")) {
            throw new IllegalStateException("raw socket: " + head);
        }
        if (reading) {
            Thread t = new Thread(this::readForever, "raw-ws-reader");
            t.setDaemon(true);
            t.start();
        }
    }

    /** This end's port: with the server's port it names the connection in {@code /proc/net/tcp}. */
    int localPort() {
        return socket.getLocalPort();
    }

    private void readForever() {
        byte[] buf = new byte[64 * 1024];
        try {
            socket.setSoTimeout(0);
            InputStream in = socket.getInputStream();
            for (int n; (n = in.read(buf)) >= 0; ) {
                bytesRead.addAndGet(n);
            }
        } catch (Exception e) {
            // closed by the server or by close()
        }
    }

    /** Reads what the stuck socket left in the kernel (at most 2 s) to see how the server ended it. */
    Drained drain() {
        if (reading) {
            return socket.isClosed() ? Drained.CLOSED : Drained.OPEN;
        }
        try {
            socket.setSoTimeout(2000);
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            while (true) {
                int b0 = in.read();
                if (b0 < 0) {
                    return Drained.CLOSED;
                }
                int b1 = in.readUnsignedByte() & 0x7f;
                long len = b1 == 126 ? in.readUnsignedShort() : b1 == 127 ? in.readLong() : b1;
                if ((b0 & 0x0f) == 0x8) {
                    int code = len >= 2 ? in.readUnsignedShort() : 0;
                    return code == 1008 ? Drained.CLOSE_FRAME_1008 : Drained.CLOSE_FRAME_OTHER;
                }
                in.skipNBytes(len);
            }
        } catch (SocketTimeoutException e) {
            return Drained.OPEN;
        } catch (Exception e) {
            return Drained.CLOSED; // reset by the server
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (Exception ignored) {
            // going anyway
        }
    }
}
