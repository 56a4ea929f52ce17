package dev.aiprogress.realtime.servlet;

import dev.aiprogress.auth.OriginPolicy;
import dev.aiprogress.realtime.UpgradeRequest;
import dev.aiprogress.realtime.socketio.EngineError;
import dev.aiprogress.realtime.socketio.PollingSession;
import dev.aiprogress.realtime.socketio.PollingSessions;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * Engine.IO v4 HTTP long-polling at {@code /socket.io/}, beside the WebSocket endpoint on the same
 * path: a WebSocket upgrade request is taken by the container's WebSocket layer before any servlet,
 * a plain GET or POST comes here. {@code GET ?EIO=4&transport=polling} opens a session (the open
 * packet offers {@code "upgrades":["websocket"]}); {@code GET ...&sid=} waits for packets (an async
 * request parked in the session, never a thread); {@code POST ...&sid=} sends packets (read with
 * non-blocking I/O, at most {@code maxPayload} bytes). The protocol lives in {@link PollingSession};
 * this class only checks the request and adapts the container.
 *
 * <p>Origin: the same {@link OriginPolicy} as the WebSocket endpoints (no {@code Origin}, the request's
 * own host, or {@code ai-progress.origins}); a foreign one gets 403 on every request. An allowed cross-origin
 * browser gets CORS answers with credentials, and a preflight ({@code OPTIONS}) is answered here.
 *
 * <p>The sessions are found in the context attribute {@link #ATTRIBUTE}, set while the realtime side
 * runs; without it (no WebSocket container, or undeployed) every request gets 503.
 */
public final class PollingServlet extends HttpServlet {

    /** Context attribute holding the {@link PollingSessions}. */
    public static final String ATTRIBUTE = PollingSessions.class.getName();
    /** The servlet mapping: the Socket.IO path, which socket.io-client asks for absolute. */
    public static final String MAPPING = "/socket.io/*";

    private static final long serialVersionUID = 1L;
    private static final System.Logger LOG = System.getLogger(PollingServlet.class.getName());

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!(getServletContext().getAttribute(ATTRIBUTE) instanceof PollingSessions sessions)) {
            AsyncExchange.plain(response, 503, "{\"code\":3,\"message\":\"Socket.IO is not running\"}");
            return;
        }
        Optional<String> origin = Optional.ofNullable(request.getHeader("Origin"));
        Optional<String> host = Optional.ofNullable(request.getHeader("Host"));
        if (!sessions.origins().allows(origin, host)) {
            LOG.log(System.Logger.Level.DEBUG, "AIP-040 refused a polling request: origin not allowed");
            refuse(response, EngineError.FORBIDDEN);
            return;
        }
        if (origin.isPresent()) {
            // an allowed browser page: it reads the answers and sends its cookies
            response.setHeader("Access-Control-Allow-Origin", origin.get());
            response.setHeader("Access-Control-Allow-Credentials", "true");
            response.addHeader("Vary", "Origin");
        }
        String method = request.getMethod();
        if (method.equals("OPTIONS")) {
            preflight(request, response);
            return;
        }
        Map<String, String> query = UpgradeRequest.parseQuery(request.getQueryString());
        if (!"4".equals(query.get("EIO"))) {
            refuse(response, EngineError.UNSUPPORTED_PROTOCOL_VERSION);
            return;
        }
        String transport = query.get("transport");
        if (!"polling".equals(transport)) {
            // a websocket transport without the upgrade handshake is a bad request; anything else unknown
            refuse(response, "websocket".equals(transport) ? EngineError.BAD_REQUEST : EngineError.UNKNOWN_TRANSPORT);
            return;
        }
        String sid = query.get("sid");
        if (sid == null) {
            if (!method.equals("GET")) {
                refuse(response, EngineError.BAD_HANDSHAKE_METHOD);
                return;
            }
            AsyncExchange handshake = AsyncExchange.start(request, response, sessions.options());
            sessions.open(new UpgradeRequest(Optional.ofNullable(request.getHeader("Cookie")),
                    Optional.ofNullable(request.getHeader("Authorization")), origin, host, query), handshake);
            return;
        }
        Optional<PollingSession> found = sessions.find(sid);
        if (found.isEmpty()) {
            refuse(response, EngineError.UNKNOWN_SID);
            return;
        }
        PollingSession session = found.get();
        switch (method) {
            case "GET" -> session.poll(AsyncExchange.start(request, response, sessions.options()).parkedIn(session));
            case "POST" -> {
                if (!session.beginPost()) {
                    refuse(response, EngineError.OVERLAPPING_REQUEST);
                    return;
                }
                AsyncExchange.start(request, response, sessions.options()).readPost(session, sessions.options().maxPayload());
            }
            default -> refuse(response, EngineError.BAD_REQUEST);
        }
    }

    private static void preflight(HttpServletRequest request, HttpServletResponse response) {
        response.setStatus(204);
        response.setHeader("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
        String asked = request.getHeader("Access-Control-Request-Headers");
        if (asked != null && !asked.isBlank()) {
            response.setHeader("Access-Control-Allow-Headers", asked);
        }
        response.setHeader("Access-Control-Max-Age", "600");
    }

    private static void refuse(HttpServletResponse response, EngineError error) throws IOException {
        AsyncExchange.plain(response, error.status(), error.json());
    }

    /** Bytes of a string as the response body. */
    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** For {@link AsyncExchange}: the async timeout of a request, above the heartbeat so a waiting GET is released by a ping first. */
    static long asyncTimeoutMillis(dev.aiprogress.realtime.RealtimeOptions options) {
        return options.pingInterval().plus(options.pingTimeout()).toMillis() + 5_000;
    }

    static void completeQuietly(AsyncContext async) {
        try {
            async.complete();
        } catch (IllegalStateException alreadyDone) {
            // completed by the container (timeout, client gone) or by the other path
        }
    }
}
