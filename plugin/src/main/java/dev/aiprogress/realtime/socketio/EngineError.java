package dev.aiprogress.realtime.socketio;

/**
 * The refusals of the HTTP long-polling transport, as the reference server words them: an HTTP
 * status and the JSON body {@code {"code":<n>,"message":"<text>"}} (the codes of Engine.IO's
 * {@code Server.errors}), so a client library reports the same reason it would from Node.
 */
public enum EngineError {
    UNKNOWN_TRANSPORT(400, 0, "Transport unknown"),
    UNKNOWN_SID(400, 1, "Session ID unknown"),
    BAD_HANDSHAKE_METHOD(400, 2, "Bad handshake method"),
    BAD_REQUEST(400, 3, "Bad request"),
    /** A second GET while one waits, or a second POST while one is read: the session is closed too. */
    OVERLAPPING_REQUEST(400, 3, "Bad request: one GET and one POST at a time per session"),
    /** An HTTP request for a session that moved to WebSocket. */
    TRANSPORT_MISMATCH(400, 3, "Bad request: the session was upgraded to websocket"),
    MALFORMED_PAYLOAD(400, 3, "Bad request: malformed payload"),
    PAYLOAD_TOO_LARGE(413, 3, "Payload too large"),
    FORBIDDEN(403, 4, "Forbidden"),
    UNSUPPORTED_PROTOCOL_VERSION(400, 5, "Unsupported protocol version");

    private final int status;
    private final int code;
    private final String message;

    EngineError(int status, int code, String message) {
        this.status = status;
        this.code = code;
        this.message = message;
    }

    public int status() {
        return status;
    }

    public String message() {
        return message;
    }

    /** {@code {"code":1,"message":"Session ID unknown"}}. */
    public String json() {
        return "{\"code\":" + code + ",\"message\":\"" + message + "\"}";
    }
}
