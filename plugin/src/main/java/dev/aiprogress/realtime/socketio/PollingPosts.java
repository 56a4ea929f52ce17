package dev.aiprogress.realtime.socketio;

import dev.aiprogress.realtime.socketio.PollingSession.Phase;

import java.util.List;
import java.util.Optional;

/**
 * The POSTs of a {@link PollingSession}: one at a time, each body's packets handed to the Socket.IO
 * session in order (under the session's {@code inbound} lock), then answered {@code ok}. Its state is
 * guarded by the session's monitor, like the rest of the session's.
 */
final class PollingPosts {

    private static final System.Logger LOG = System.getLogger(PollingSession.class.getName());

    private final PollingSession session;
    private final SocketIoSession socket;
    private final Object inbound;
    /** A POST is being read or handled. */
    private boolean postActive;

    PollingPosts(PollingSession session, SocketIoSession socket, Object inbound) {
        this.session = session;
        this.socket = socket;
        this.inbound = inbound;
    }

    /** A POST with the session's sid arrived; false (refuse it: the session is closed) when another POST is still being handled. */
    boolean begin() {
        synchronized (session) {
            Phase phase = session.phase();
            if (!postActive || phase == Phase.CLOSED || phase == Phase.UPGRADED) {
                postActive = true;
                return true;
            }
        }
        LOG.log(System.Logger.Level.DEBUG, "AIP-043 closing a polling session: a second POST while one is read");
        socket.close(SocketIoSession.CLOSE_PROTOCOL_ERROR, "overlapping post");
        return false;
    }

    /** The body of the POST {@link #begin} admitted: its packets go to the session in order, then {@code ok}. */
    void post(String body, PollExchange post) {
        Phase now = session.phase();
        try {
            if (now == Phase.CLOSED) {
                post.refuse(EngineError.UNKNOWN_SID);
                return;
            }
            if (now == Phase.UPGRADED) {
                post.refuse(EngineError.TRANSPORT_MISMATCH);
                return;
            }
            Optional<List<String>> packets = EnginePayload.decode(body);
            if (packets.isEmpty()) {
                post.refuse(EngineError.MALFORMED_PAYLOAD);
                socket.close(SocketIoSession.CLOSE_PROTOCOL_ERROR, "parse error");
                return;
            }
            synchronized (inbound) {
                for (String packet : packets.get()) {
                    if (packet.equals(PollingSession.CLOSE)) {
                        session.clientClosing();
                    }
                    socket.onText(packet);
                    if (session.phase() == Phase.CLOSED) {
                        break;
                    }
                }
            }
            post.ok("ok");
        } finally {
            endPost();
        }
    }

    /** The POST's body passed {@code maxPayload}: 413, and the session is closed. */
    void tooLarge(PollExchange post) {
        try {
            post.refuse(EngineError.PAYLOAD_TOO_LARGE);
            LOG.log(System.Logger.Level.DEBUG, "AIP-043 closing a polling session: a POST passed maxPayload");
            socket.close(SocketIoSession.CLOSE_POLICY, "payload too large");
        } finally {
            endPost();
        }
    }

    /** The POST's body could not be read (client gone): nothing of it is used. */
    void failed() {
        endPost();
    }

    private void endPost() {
        synchronized (session) {
            postActive = false;
        }
    }

    /** A POST is being read or handled (tests). */
    boolean isActive() {
        synchronized (session) {
            return postActive;
        }
    }
}
