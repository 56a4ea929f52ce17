package dev.aiprogress.provider.http;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.List;

/**
 * The bytes of one connection, plain or through TLS, over a non-blocking channel. Every method
 * returns instead of waiting: {@link #wantsRead()}/{@link #wantsWrite()} say what it waits for.
 * Used only on the connection's I/O thread.
 */
abstract sealed class Transport permits Transport.Plain, Transport.Tls {

    final SocketChannel channel;
    boolean wantsRead;
    boolean wantsWrite;

    Transport(SocketChannel channel) {
        this.channel = channel;
    }

    /** Runs or continues the TLS handshake; true once application data can flow. */
    abstract boolean handshake() throws IOException;

    /** Writes what it can of {@code plain}; true once all of it (and anything pending) is on the wire. */
    abstract boolean write(ByteBuffer plain) throws IOException;

    /**
     * Reads application bytes into {@code dst} (in write mode): the count, 0 when nothing is there
     * yet, -1 at the end of the stream. {@code dst} must hold at least {@link #minReadBuffer()}.
     */
    abstract int read(ByteBuffer dst) throws IOException;

    /** The smallest destination {@link #read} accepts. */
    abstract int minReadBuffer();

    /** Best effort goodbye (TLS close_notify), then the channel is closed. Never throws. */
    abstract void close();

    boolean wantsRead() {
        return wantsRead;
    }

    boolean wantsWrite() {
        return wantsWrite;
    }

    static final class Plain extends Transport {
        Plain(SocketChannel channel) {
            super(channel);
        }

        @Override
        boolean handshake() {
            return true;
        }

        @Override
        boolean write(ByteBuffer plain) throws IOException {
            channel.write(plain);
            wantsWrite = plain.hasRemaining();
            return !wantsWrite;
        }

        @Override
        int read(ByteBuffer dst) throws IOException {
            return channel.read(dst);
        }

        @Override
        int minReadBuffer() {
            return 1;
        }

        @Override
        void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing: nothing left to tell anyone
            }
        }
    }

    /**
     * TLS through an {@link SSLEngine}: server name indication and host name verification for the
     * URI's host (as the JDK's own HTTP client does), HTTP/1.1 offered by ALPN.
     */
    static final class Tls extends Transport {
        private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

        private final SSLEngine engine;
        /** Bytes read from the channel, not yet unwrapped; kept in read mode between calls. */
        private ByteBuffer netIn;
        /** Wrapped bytes not yet written; in read mode. */
        private ByteBuffer netOut;
        /** Where handshake messages unwrap to (they carry no application data); dropped after it. */
        private ByteBuffer scratch;

        Tls(SocketChannel channel, SSLContext context, String host, int port) throws SSLException {
            super(channel);
            engine = context.createSSLEngine(host, port);
            engine.setUseClientMode(true);
            SSLParameters p = engine.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            if (!isIpLiteral(host)) {
                p.setServerNames(List.of(new SNIHostName(host)));
            }
            p.setApplicationProtocols(new String[] {"http/1.1"});
            engine.setSSLParameters(p);
            int packet = engine.getSession().getPacketBufferSize();
            netIn = ByteBuffer.allocate(packet).flip();
            netOut = ByteBuffer.allocate(packet).flip();
            engine.beginHandshake();
        }

        private static boolean isIpLiteral(String host) {
            return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
        }

        @Override
        boolean handshake() throws IOException {
            wantsRead = false;
            wantsWrite = false;
            try {
                return handshakeSteps();
            } catch (SSLHandshakeException e) {
                throw e;
            } catch (SSLException e) {
                SSLHandshakeException failed = new SSLHandshakeException(e.getMessage());
                failed.initCause(e);
                throw failed;
            }
        }

        private boolean handshakeSteps() throws IOException {
            while (true) {
                if (!flushNetOut()) {
                    return false;
                }
                switch (engine.getHandshakeStatus()) {
                    case NEED_TASK -> runTasks();
                    case NEED_WRAP -> wrap(EMPTY);
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                        if (scratch == null) {
                            scratch = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
                        }
                        scratch.clear();
                        SSLEngineResult r = netIn.hasRemaining() ? unwrapOnce(scratch) : null;
                        if (r == null || r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                            int n = fill();
                            if (n < 0) {
                                throw new EOFException("connection closed during the TLS handshake");
                            }
                            if (n == 0) {
                                wantsRead = true;
                                return false;
                            }
                        } else if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                            throw new EOFException("TLS closed during the handshake");
                        }
                    }
                    case FINISHED, NOT_HANDSHAKING -> {
                        scratch = null;
                        return true;
                    }
                }
            }
        }

        @Override
        boolean write(ByteBuffer plain) throws IOException {
            wantsWrite = false;
            while (true) {
                if (!flushNetOut()) {
                    return false;
                }
                if (!plain.hasRemaining()) {
                    return true;
                }
                wrap(plain);
            }
        }

        @Override
        int read(ByteBuffer dst) throws IOException {
            wantsRead = false;
            while (true) {
                if (netIn.hasRemaining()) {
                    SSLEngineResult r = unwrapOnce(dst);
                    if (r.bytesProduced() > 0) {
                        return r.bytesProduced();
                    }
                    if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                        return -1; // close_notify: the peer is done
                    }
                    // a post-handshake message (TLS 1.3 session ticket, key update) may want work or an answer
                    SSLEngineResult.HandshakeStatus hs = r.getHandshakeStatus();
                    if (hs == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                        runTasks();
                        continue;
                    }
                    if (hs == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                        wrap(EMPTY);
                        flushNetOut();
                        continue;
                    }
                    if (r.getStatus() == SSLEngineResult.Status.OK && r.bytesConsumed() > 0) {
                        continue; // a record without application data: on to the next one
                    }
                    // BUFFER_UNDERFLOW: the rest of the record is still on its way
                }
                int n = fill();
                if (n < 0) {
                    return -1;
                }
                if (n == 0) {
                    wantsRead = true;
                    return 0;
                }
            }
        }

        @Override
        int minReadBuffer() {
            return engine.getSession().getApplicationBufferSize();
        }

        /** Bytes already read from the channel wait to be unwrapped (the selector will not say so). */
        boolean buffered() {
            return netIn.hasRemaining();
        }

        @Override
        void close() {
            try {
                engine.closeOutbound();
                wrap(EMPTY);
                channel.write(netOut);
            } catch (IOException | RuntimeException ignored) {
                // the goodbye is best effort
            }
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing: nothing left to tell anyone
            }
        }

        private SSLEngineResult unwrapOnce(ByteBuffer dst) throws SSLException {
            SSLEngineResult r = engine.unwrap(netIn, dst);
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                // a partial record: make sure the rest fits (netIn is compacted on the next fill)
                int packet = engine.getSession().getPacketBufferSize();
                if (netIn.capacity() < packet) {
                    netIn = ByteBuffer.allocate(packet).put(netIn).flip();
                }
            } else if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                throw new SSLException("TLS record larger than the read buffer");
            }
            return r;
        }

        private void wrap(ByteBuffer src) throws SSLException {
            netOut.compact();
            try {
                SSLEngineResult r = engine.wrap(src, netOut);
                if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                    ByteBuffer bigger = ByteBuffer.allocate(netOut.capacity() + engine.getSession().getPacketBufferSize());
                    netOut.flip();
                    bigger.put(netOut);
                    netOut = bigger;
                    r = engine.wrap(src, netOut);
                }
                if (r.getStatus() == SSLEngineResult.Status.CLOSED && src.hasRemaining()) {
                    throw new SSLException("TLS session closed");
                }
            } finally {
                netOut.flip();
            }
        }

        /** Writes pending wrapped bytes; true when none are left. */
        private boolean flushNetOut() throws IOException {
            if (netOut.hasRemaining()) {
                channel.write(netOut);
            }
            wantsWrite = netOut.hasRemaining();
            return !wantsWrite;
        }

        /** Reads from the channel into {@link #netIn}: the count, 0 or -1. */
        private int fill() throws IOException {
            netIn.compact();
            try {
                return channel.read(netIn);
            } finally {
                netIn.flip();
            }
        }

        private void runTasks() {
            // certificate checks: a few ms per new connection, run here rather than handed to a pool
            // (connections are pooled, so this is once per connection, not per stream)
            for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
                task.run();
            }
        }
    }
}
