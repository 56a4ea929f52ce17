package dev.aiprogress.provider.http;

import java.io.IOException;
import java.net.ProtocolException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * One TCP connection to an upstream (or to a proxy tunnelling to it) and the exchange it carries:
 * connect, optional CONNECT tunnel, optional TLS handshake, write the request, read the response,
 * then back to the pool when the response allows keep-alive. Lives on one {@link IoLoop} and is
 * only touched on its thread. While a response streams, its interest stays OP_READ, so a chunk
 * costs one readiness event and one read, no selector update.
 */
final class Connection {

    private enum State { CONNECTING, TUNNEL_WRITE, TUNNEL_READ, HANDSHAKE, WRITING, READING, IDLE, CLOSED }

    private final IoLoop loop;
    private final ConnectionPool.Key key;
    private final SocketChannel channel;
    private SelectionKey selectionKey;
    private Transport transport;
    private State state;
    private Exchange exchange;
    private ResponseParser parser;
    private ByteBuffer pendingWrite;
    /** Served an exchange before: a failure before any answer may be a stale keep-alive. */
    private boolean reused;
    /** Bytes of the current response arrived. */
    private boolean answered;
    /** The parser reached the end of the current response during the last feed. */
    private boolean responseEnded;
    private long idleSince;

    private Connection(IoLoop loop, ConnectionPool.Key key, SocketChannel channel) {
        this.loop = loop;
        this.key = key;
        this.channel = channel;
    }

    /** Runs {@code task} on this connection's loop. */
    void loopExecute(Runnable task) {
        loop.execute(task);
    }

    ConnectionPool.Key key() {
        return key;
    }

    long idleSince() {
        return idleSince;
    }

    /** Opens a new connection on {@code loop} for {@code exchange} (loop thread). */
    static void open(IoLoop loop, Exchange exchange) {
        SocketChannel channel;
        try {
            channel = SocketChannel.open();
        } catch (IOException e) {
            exchange.fail(e);
            return;
        }
        Connection c = new Connection(loop, exchange.key, channel);
        c.exchange = exchange;
        c.state = State.CONNECTING;
        exchange.bind(loop, c);
        if (exchange.over()) {
            return;
        }
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            c.selectionKey = channel.register(loop.selector(), 0, c);
            exchange.armConnectTimer();
            if (channel.connect(exchange.address)) {
                c.connected();
            } else {
                c.interest(SelectionKey.OP_CONNECT);
            }
        } catch (IOException e) {
            c.fail(e);
        }
    }

    /** Runs {@code exchange} on this pooled connection, just taken from the pool (loop thread). */
    void begin(Exchange exchange) {
        loop.leftIdle(this);
        if (state != State.IDLE) {
            // closed by its server while it waited for this hand-over: a fresh one instead
            Connection.open(loop, exchange);
            return;
        }
        reused = true;
        this.exchange = exchange;
        exchange.bind(loop, this);
        if (exchange.over()) {
            return;
        }
        try {
            startRequest();
        } catch (IOException e) {
            fail(e);
        }
    }

    void onReady(int ops) {
        try {
            switch (state) {
                case CONNECTING -> {
                    if (channel.finishConnect()) {
                        connected();
                    }
                }
                case TUNNEL_WRITE, HANDSHAKE, WRITING -> progress();
                case TUNNEL_READ, READING -> readResponse();
                case IDLE -> idleReadable();
                case CLOSED -> { }
            }
        } catch (IOException e) {
            fail(e);
        } catch (RuntimeException e) {
            fail(new IOException("upstream connection failed: " + e, e));
        }
    }

    private void connected() throws IOException {
        transport = new Transport.Plain(channel);
        if (key.proxy() != null && key.https()) {
            state = State.TUNNEL_WRITE;
            String authority = hostForHeader(key.host()) + ":" + key.port();
            pendingWrite = ByteBuffer.wrap(("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
        } else if (key.https()) {
            transport = new Transport.Tls(channel, exchange.client.sslContext(), key.host(), key.port());
            state = State.HANDSHAKE;
        } else {
            exchange.connectDone();
            startRequest();
            return;
        }
        progress();
    }

    private void startRequest() throws IOException {
        pendingWrite = exchange.request();
        answered = false;
        responseEnded = false;
        Exchange ex = exchange;
        parser = new ResponseParser(new ResponseParser.Sink() {
            @Override
            public void head(ResponseHead head) {
                ex.head(head);
            }

            @Override
            public void body(ByteBuffer bytes) {
                ex.body(bytes);
            }

            @Override
            public void end() {
                responseEnded = true;
            }
        });
        state = State.WRITING;
        progress();
    }

    /** Moves the writing states on as far as the socket lets them. */
    private void progress() throws IOException {
        switch (state) {
            case TUNNEL_WRITE -> {
                if (!transport.write(pendingWrite)) {
                    interest(SelectionKey.OP_WRITE);
                    return;
                }
                state = State.TUNNEL_READ;
                parser = new ResponseParser(new TunnelAnswer(), true);
                interest(SelectionKey.OP_READ);
            }
            case HANDSHAKE -> {
                if (!transport.handshake()) {
                    interest((transport.wantsRead() ? SelectionKey.OP_READ : 0)
                            | (transport.wantsWrite() ? SelectionKey.OP_WRITE : 0));
                    return;
                }
                exchange.connectDone();
                startRequest();
            }
            case WRITING -> {
                if (!transport.write(pendingWrite)) {
                    interest(SelectionKey.OP_WRITE);
                    return;
                }
                pendingWrite = null;
                state = State.READING;
                interest(SelectionKey.OP_READ);
            }
            default -> { }
        }
    }

    private void readResponse() throws IOException {
        ByteBuffer buffer = loop.readBuffer();
        while (true) {
            buffer.clear();
            int n = transport.read(buffer);
            if (n < 0) {
                endOfInput();
                return;
            }
            if (n == 0) {
                return;
            }
            answered = true;
            buffer.flip();
            State before = state;
            parser.feed(buffer);
            if (state != before) {
                return; // cancelled from inside a handler call
            }
            if (responseEnded) {
                if (before == State.TUNNEL_READ) {
                    tunnelOpen(buffer.hasRemaining());
                } else {
                    finishExchange(!buffer.hasRemaining() && parser.keepAlive());
                }
                return;
            }
            // read again only when more is surely waiting: a full buffer, or TLS records already read
            if (n < buffer.capacity() && !(transport instanceof Transport.Tls tls && tls.buffered())) {
                return;
            }
        }
    }

    private void endOfInput() throws IOException {
        parser.endOfInput(); // throws when the response was cut short
        if (responseEnded) {
            finishExchange(false);
        }
    }

    /** The response is complete: the handler hears it, and the connection is pooled or closed. */
    private void finishExchange(boolean keepAlive) {
        Exchange ex = exchange;
        exchange = null;
        parser = null;
        // pooled before the handler hears the end: a next request it sends at once finds this connection
        if (keepAlive && !ex.cancelled()) {
            state = State.IDLE;
            idleSince = System.nanoTime();
            if (loop.pool().offer(this)) {
                loop.becameIdle(this);
            } else {
                close();
            }
        } else {
            close();
        }
        ex.complete();
    }

    private void tunnelOpen(boolean extraBytes) throws IOException {
        if (extraBytes) {
            throw new ProtocolException("proxy sent bytes after its CONNECT answer");
        }
        parser = null;
        transport = new Transport.Tls(channel, exchange.client.sslContext(), key.host(), key.port());
        state = State.HANDSHAKE;
        progress();
    }

    /** The proxy's answer to CONNECT: 2xx opens the tunnel, anything else fails the connect. */
    private final class TunnelAnswer implements ResponseParser.Sink {
        @Override
        public void head(ResponseHead head) throws IOException {
            if (head.status() / 100 != 2) {
                throw new java.net.ConnectException("proxy refused the tunnel: HTTP " + head.status());
            }
            responseEnded = true;
        }

        @Override
        public void body(ByteBuffer bytes) {
            // a 2xx answer to CONNECT has no body; the tunnel starts right after the head
        }

        @Override
        public void end() {
            responseEnded = true;
        }
    }

    /** A pooled connection became readable: the server closed it (or sent what nobody asked for). */
    private void idleReadable() {
        loop.pool().remove(this);
        close();
    }

    /** The pool's idle time is over (loop thread). */
    void expire() {
        if (loop.pool().remove(this)) {
            close();
        }
    }

    void connectTimedOut(Exchange ex) {
        if (exchange == ex && (state == State.CONNECTING || state == State.TUNNEL_WRITE || state == State.TUNNEL_READ
                || state == State.HANDSHAKE)) {
            fail(new UpstreamConnectTimeoutException("connect timed out after " + ex.client.connectTimeout().toMillis() + " ms"));
        }
    }

    /** The exchange was cancelled: close without telling it anything (loop thread). */
    void abort(Exchange ex) {
        if (exchange == ex) {
            exchange = null;
            close();
        }
    }

    /** The client is shutting down (loop thread). */
    void shutDown() {
        Exchange ex = exchange;
        exchange = null;
        close();
        if (ex != null) {
            ex.fail(new IOException("the upstream client was closed"));
        }
    }

    private void fail(IOException error) {
        Exchange ex = exchange;
        exchange = null;
        boolean staleKeepAlive = reused && !answered && state != State.CLOSED;
        close();
        if (ex == null) {
            return;
        }
        if (staleKeepAlive && !ex.retriedFresh && !ex.over()) {
            // a pooled connection the server had already given up on: the request went nowhere
            ex.retriedFresh = true;
            Connection.open(loop, ex);
            return;
        }
        ex.fail(error);
    }

    private void close() {
        if (state == State.CLOSED) {
            return;
        }
        boolean wasIdle = state == State.IDLE;
        state = State.CLOSED;
        if (wasIdle) {
            loop.leftIdle(this);
        }
        if (selectionKey != null) {
            selectionKey.cancel();
        }
        if (transport != null) {
            transport.close();
        } else {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing: nothing left to tell anyone
            }
        }
    }

    private void interest(int ops) {
        if (selectionKey != null && selectionKey.isValid()) {
            selectionKey.interestOps(ops);
        }
    }

    /** An IPv6 literal goes in brackets in {@code Host} and CONNECT ({@code URI.getHost} keeps them). */
    static String hostForHeader(String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
