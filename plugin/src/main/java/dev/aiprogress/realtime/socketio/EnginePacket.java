package dev.aiprogress.realtime.socketio;

import dev.aiprogress.event.EventWriter;

import java.util.Objects;
import java.util.Optional;

/**
 * An Engine.IO v4 packet as carried in one WebSocket text frame: a type digit then the data.
 * Binary frames are not part of this server's protocol.
 */
public sealed interface EnginePacket {

    /** {@code 0} + handshake JSON, sent first by the server. */
    record Open(String json) implements EnginePacket {
    }

    /** {@code 1}: the peer closes the session. */
    record Close() implements EnginePacket {
    }

    /** {@code 2} (+ optional data): a heartbeat; in v4 only the server sends it. */
    record Ping(String data) implements EnginePacket {
    }

    /** {@code 3} (+ optional data): the answer to a ping. */
    record Pong(String data) implements EnginePacket {
    }

    /** {@code 4} + a Socket.IO packet. */
    record Message(String data) implements EnginePacket {
    }

    /** {@code 5}: transport upgrade (from polling; never legitimate on a websocket-only session). */
    record Upgrade() implements EnginePacket {
    }

    /** {@code 6}: nothing. */
    record Noop() implements EnginePacket {
    }

    /** The text frame for a packet. */
    static String encode(EnginePacket packet) {
        Objects.requireNonNull(packet, "packet");
        if (packet instanceof Open p) {
            return "0" + p.json();
        } else if (packet instanceof Close) {
            return "1";
        } else if (packet instanceof Ping p) {
            return "2" + p.data();
        } else if (packet instanceof Pong p) {
            return "3" + p.data();
        } else if (packet instanceof Message p) {
            return "4" + p.data();
        } else if (packet instanceof Upgrade) {
            return "5";
        } else {
            return "6";
        }
    }

    /** Reads one frame; empty for anything malformed (callers close the session). */
    static Optional<EnginePacket> decode(String frame) {
        if (frame.isEmpty()) {
            return Optional.empty();
        }
        String data = frame.substring(1);
        switch (frame.charAt(0)) {
            case '0':
                return Optional.empty(); // only the server opens
            case '1':
                return data.isEmpty() ? Optional.of(new Close()) : Optional.empty();
            case '2':
                return Optional.of(new Ping(data));
            case '3':
                return Optional.of(new Pong(data));
            case '4':
                return Optional.of(new Message(data));
            case '5':
                return data.isEmpty() ? Optional.of(new Upgrade()) : Optional.empty();
            case '6':
                return data.isEmpty() ? Optional.of(new Noop()) : Optional.empty();
            default:
                return Optional.empty();
        }
    }

    /**
     * The open packet: {@code {"sid":..,"upgrades":[],"pingInterval":..,"pingTimeout":..,"maxPayload":..}}
     * (no upgrades: the socket is already a WebSocket).
     */
    static Open open(String sid, long pingIntervalMs, long pingTimeoutMs, long maxPayload) {
        return open(sid, false, pingIntervalMs, pingTimeoutMs, maxPayload);
    }

    /** The open packet of a session opened by HTTP long-polling, which may upgrade to WebSocket: {@code "upgrades":["websocket"]}. */
    static Open open(String sid, boolean upgradable, long pingIntervalMs, long pingTimeoutMs, long maxPayload) {
        return new Open("{\"sid\":" + EventWriter.quote(sid) + ",\"upgrades\":"
                + (upgradable ? "[\"websocket\"]" : "[]") + ",\"pingInterval\":"
                + pingIntervalMs + ",\"pingTimeout\":" + pingTimeoutMs + ",\"maxPayload\":" + maxPayload + "}");
    }
}
