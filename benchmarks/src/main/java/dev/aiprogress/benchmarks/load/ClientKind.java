package dev.aiprogress.benchmarks.load;

import java.util.Locale;

/**
 * Which realtime client the harness's sockets speak ({@code --client}): the plugin's plain JSON
 * WebSocket, Socket.IO (what the Oropendola extension uses), or both side by side on one server.
 */
enum ClientKind {
    WS, SOCKETIO, BOTH;

    static ClientKind parse(String s) {
        switch (s.toLowerCase(Locale.ROOT)) {
            case "ws": return WS;
            case "socketio": return SOCKETIO;
            case "both": return BOTH;
            default: throw new IllegalArgumentException("--client must be ws, socketio or both, not " + s);
        }
    }

    boolean hasSocketIo() {
        return this != WS;
    }

    boolean hasPlain() {
        return this != SOCKETIO;
    }

    /**
     * Whether socket {@code k} of user {@code u} is a Socket.IO one. For {@code both} the kinds
     * alternate over (user + socket): with several sockets per user every user holds both kinds,
     * so one stream fans out to both; with one socket per user the users alternate, and the
     * harness's round-robin user choice sends every other stream to each kind.
     */
    boolean socketIo(int u, int k) {
        switch (this) {
            case WS: return false;
            case SOCKETIO: return true;
            default: return (u + k) % 2 == 1;
        }
    }

    /**
     * How many one-at-a-time streams give each kind {@code perKind} samples: users alternate
     * kinds only when each holds a single socket.
     */
    int oneAtATimeStreams(int perKind, int socketsPerUser) {
        return this == BOTH && socketsPerUser == 1 ? perKind * 2 : perKind;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
