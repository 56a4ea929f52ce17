package dev.aiprogress.web;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A raw WebSocket client over a plain {@link Socket} with a tiny receive buffer, so that when the
 * test stops calling {@link #readFrame} the server's writes back up at once (no client library
 * reading ahead in the background).
 */
final class StalledSocket implements AutoCloseable {

    /** One server frame: opcode and payload. */
    record Frame(int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** For a close frame: "code reason". */
        String closeReason() {
            int code = ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
            return code + " " + new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
        }
    }

    /**
     * How the server ended a connection this socket had stopped reading: the text frames that were
     * still in flight, and the close frame's "code reason" when it got through. A socket closed for
     * overflow is dropped soon after its close frame is queued (the server cannot wait for a reader
     * that reads nothing), so whether that frame arrives depends on how long the reader stayed away.
     */
    record Ending(List<String> texts, Optional<String> closeReason) {
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private StalledSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 1024);
        this.out = socket.getOutputStream();
    }

    static StalledSocket connect(int port, String pathAndQuery, String cookie) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(15_000);
        StalledSocket s = new StalledSocket(socket);
        s.out.write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + "Cookie: " + cookie + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        s.out.flush();
        String head = s.readHead();
        if (!head.startsWith("HTTP/1.1 101")) {
            socket.close();
            throw new IOException("upgrade refused: " + head);
        }
        return s;
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            head.write(read());
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    Frame readFrame() throws IOException {
        int b0 = read();
        int b1 = read();
        long length = b1 & 0x7f;
        if (length == 126) {
            length = ((long) read() << 8) | read();
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = (length << 8) | read();
            }
        }
        byte[] payload = in.readNBytes((int) length);
        if (payload.length != length) {
            throw new EndOfStream("EOF inside a frame");
        }
        return new Frame(b0 & 0x0f, payload);
    }

    /**
     * Reads until the server ends the connection, by a close frame or by dropping it (EOF or a reset,
     * possibly in the middle of a frame). A connection still open after the read timeout is a failure.
     */
    Ending readUntilEnd() throws IOException {
        List<String> texts = new ArrayList<>();
        try {
            while (true) {
                Frame frame = readFrame();
                if (frame.opcode() == 8) {
                    return new Ending(texts, Optional.of(frame.closeReason()));
                }
                texts.add(frame.text());
            }
        } catch (SocketTimeoutException stillOpen) {
            throw stillOpen;
        } catch (SocketException | EndOfStream dropped) {
            return new Ending(texts, Optional.empty());
        }
    }

    /** The server ended the connection where a frame was expected or inside one. */
    static final class EndOfStream extends IOException {
        EndOfStream(String message) {
            super(message);
        }
    }

    /** A masked text frame, as a client must send. */
    void sendText(String text) throws IOException {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        if (payload.length > 125) {
            throw new IllegalArgumentException("short frames only");
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x81);
        frame.write(0x80 | payload.length);
        frame.write(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        out.write(frame.toByteArray());
        out.flush();
    }

    private int read() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EndOfStream("EOF");
        }
        return b;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
