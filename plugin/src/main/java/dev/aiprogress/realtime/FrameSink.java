package dev.aiprogress.realtime;

/**
 * The transport under an {@link Outbox}: one WebSocket. The container adapter wraps
 * {@code RemoteEndpoint.Async}; tests use an in-memory one.
 */
public interface FrameSink {

    /** Called once a send finished; {@code failure} is empty on success. */
    interface Completion {
        void done(java.util.Optional<Throwable> failure);
    }

    /** Starts sending one text frame; never called again before {@code completion} ran. */
    void sendText(String text, Completion completion);

    /** Closes the socket with a WebSocket close code and a short reason. */
    void close(int code, String reason);

    /**
     * Closes a socket whose peer stopped reading: its close frame may never get out, so the
     * connection must end soon anyway rather than wait out the idle timeout (T13 measured the
     * whole ping interval + timeout, 45 s by default, with the kernel's send buffer still held).
     */
    default void abandon(int code, String reason) {
        close(code, reason);
    }
}
