package dev.aiprogress.realtime.jakarta;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import org.eclipse.jetty.ee10.websocket.jakarta.client.JakartaWebSocketClientContainer;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A real Jakarta WebSocket client (Jetty's) that records text frames and the close. */
public final class WsClient implements AutoCloseable {

    private static final long WAIT_SECONDS = 15;

    private final JakartaWebSocketClientContainer container = new JakartaWebSocketClientContainer();
    private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
    private Session session;
    /** When true, frames are not read: the client stops consuming (a slow socket). */
    private volatile boolean stalled;
    private final Object stall = new Object();
    /** When true, every server ping {@code 2} is answered {@code 3} at once, from the read thread. */
    private volatile boolean autoPong;

    public WsClient(String url, Map<String, String> headers) throws Exception {
        container.start();
        ClientEndpointConfig config = ClientEndpointConfig.Builder.create()
                .configurator(new ClientEndpointConfig.Configurator() {
                    @Override
                    public void beforeRequest(Map<String, List<String>> h) {
                        headers.forEach((k, v) -> h.put(k, List.of(v)));
                    }
                }).build();
        session = container.connectToServer(new Endpoint() {
            @Override
            public void onOpen(Session s, EndpointConfig c) {
                s.addMessageHandler(String.class, (MessageHandler.Whole<String>) text -> {
                    synchronized (stall) {
                        while (stalled) {
                            try {
                                stall.wait();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                return;
                            }
                        }
                    }
                    if (autoPong && text.equals("2")) {
                        s.getAsyncRemote().sendText("3");
                    }
                    frames.add(text);
                });
            }

            @Override
            public void onClose(Session s, CloseReason reason) {
                closed.complete(reason);
            }

            @Override
            public void onError(Session s, Throwable t) {
                closed.complete(new CloseReason(CloseReason.CloseCodes.CLOSED_ABNORMALLY, String.valueOf(t)));
            }
        }, config, URI.create(url));
    }

    public static WsClient connect(String url) throws Exception {
        return new WsClient(url, Map.of());
    }

    /** The next text frame; fails the test after a few seconds without one. */
    public String next() throws InterruptedException {
        String f = frames.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        if (f == null) {
            throw new AssertionError("no frame within " + WAIT_SECONDS + " s; closed: " + closed.getNow(null));
        }
        return f;
    }

    /** The next frame that is not a heartbeat ping. */
    public String nextNonPing() throws InterruptedException {
        String f = next();
        while (f.equals("2")) {
            f = next();
        }
        return f;
    }

    public void send(String text) throws IOException {
        session.getBasicRemote().sendText(text);
    }

    /** How the server closed the socket ("code reason"). */
    public String awaitClose() throws Exception {
        CloseReason r = closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
        return r.getCloseCode().getCode() + " " + r.getReasonPhrase();
    }

    public boolean isOpen() {
        return session.isOpen() && !closed.isDone();
    }

    /** Answers pings from now on, so a short heartbeat cannot close a socket on a busy machine. */
    public WsClient autoPong() {
        autoPong = true;
        return this;
    }

    public void stall() {
        stalled = true;
    }

    @Override
    public void close() throws Exception {
        synchronized (stall) {
            stalled = false;
            stall.notifyAll();
        }
        try {
            if (session.isOpen()) {
                session.close();
            }
        } finally {
            container.stop();
        }
    }
}
