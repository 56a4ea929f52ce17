package dev.aiprogress.realtime.jakarta;

import dev.aiprogress.realtime.FrameSink;

import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;

import java.io.IOException;
import java.util.Optional;

/** A {@link FrameSink} over a container WebSocket session's {@link RemoteEndpoint.Async}. */
final class AsyncFrameSink implements FrameSink {

    private static final System.Logger LOG = System.getLogger(AsyncFrameSink.class.getName());

    private final Session session;
    private final RemoteEndpoint.Async remote;

    AsyncFrameSink(Session session) {
        this.session = session;
        this.remote = session.getAsyncRemote();
    }

    @Override
    public void sendText(String text, Completion completion) {
        remote.sendText(text, result -> completion.done(
                result.isOK() ? Optional.empty() : Optional.of(result.getException())));
    }

    /** How long an abandoned socket's close frame may take before the container drops the connection. */
    static final long ABANDON_GRACE_MILLIS = 500;

    @Override
    public void abandon(int code, String reason) {
        try {
            // the container ends a connection whose writes made no progress for this long
            session.setMaxIdleTimeout(ABANDON_GRACE_MILLIS);
        } catch (RuntimeException closedMeanwhile) {
            LOG.log(System.Logger.Level.DEBUG, "AIP-041 shortening an abandoned socket's idle timeout failed: {0}",
                    closedMeanwhile.toString());
        }
        close(code, reason);
    }

    @Override
    public void close(int code, String reason) {
        if (!session.isOpen()) {
            return;
        }
        try {
            session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
        } catch (IOException | IllegalStateException e) {
            LOG.log(System.Logger.Level.DEBUG, "AIP-041 closing a socket failed: {0}", e.toString());
        }
    }
}
