package dev.aiprogress.realtime.socketio;

import dev.aiprogress.event.EventWriter;
import dev.aiprogress.realtime.ClientJson;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A Socket.IO v5 packet (the data of an Engine.IO {@code message}):
 * {@code <type>[<namespace>,][<ack id>][<JSON>]}, the default namespace {@code /} left out.
 * Payloads are kept as JSON text, validated on decode. {@code BINARY_EVENT}/{@code BINARY_ACK}
 * are refused: this server neither sends nor accepts binary.
 */
public sealed interface SocketPacket {

    String DEFAULT_NAMESPACE = "/";

    /** Event names a server must never emit (the client reserves them). */
    Set<String> RESERVED_EVENTS = Set.of("connect", "connect_error", "disconnect", "disconnecting",
            "newListener", "removeListener");

    String namespace();

    /** {@code 0}: from the client with its optional {@code auth} object; from the server with {@code {"sid":..}}. */
    record Connect(String namespace, Optional<String> json) implements SocketPacket {
    }

    /** {@code 1}. */
    record Disconnect(String namespace) implements SocketPacket {
    }

    /** {@code 2}: a JSON array whose first element is the event name. */
    record Event(String namespace, OptionalLong ackId, String argsJson) implements SocketPacket {
    }

    /** {@code 3}: the answer to an event that asked for one. */
    record Ack(String namespace, long ackId, String argsJson) implements SocketPacket {
    }

    /** {@code 4}: a refused CONNECT, with {@code {"message":..}}. */
    record ConnectError(String namespace, String json) implements SocketPacket {
    }

    static String encode(SocketPacket packet) {
        Objects.requireNonNull(packet, "packet");
        String nsp = DEFAULT_NAMESPACE.equals(packet.namespace()) ? "" : packet.namespace() + ",";
        if (packet instanceof Connect p) {
            return "0" + nsp + p.json().orElse("");
        } else if (packet instanceof Disconnect) {
            return "1" + nsp;
        } else if (packet instanceof Event p) {
            return "2" + nsp + (p.ackId().isPresent() ? Long.toString(p.ackId().getAsLong()) : "") + p.argsJson();
        } else if (packet instanceof Ack p) {
            return "3" + nsp + p.ackId() + p.argsJson();
        } else {
            ConnectError p = (ConnectError) packet;
            return "4" + nsp + p.json();
        }
    }

    /** The server's event frame payload: {@code 2["<name>",<json>,"<offset>"]}, offset left out when empty. */
    static String event(String name, String json, Optional<String> offset) {
        if (RESERVED_EVENTS.contains(name)) {
            throw new IllegalArgumentException("reserved event name: " + name);
        }
        return "2[" + EventWriter.quote(name) + "," + json + offset.map(o -> "," + EventWriter.quote(o)).orElse("") + "]";
    }

    /** Reads one packet; empty for anything malformed or binary (callers close the session). */
    static Optional<SocketPacket> decode(String text) {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        char type = text.charAt(0);
        int i = 1;
        String nsp = DEFAULT_NAMESPACE;
        if (i < text.length() && text.charAt(i) == '/') {
            int comma = text.indexOf(',', i);
            if (comma < 0) {
                // a namespace without payload may end the packet: "1/admin"
                nsp = text.substring(i);
                i = text.length();
            } else {
                nsp = text.substring(i, comma);
                i = comma + 1;
            }
        }
        int idStart = i;
        while (i < text.length() && Character.isDigit(text.charAt(i)) && i - idStart < 18) {
            i++;
        }
        OptionalLong id = i > idStart ? OptionalLong.of(Long.parseLong(text.substring(idStart, i))) : OptionalLong.empty();
        if (i < text.length() && Character.isDigit(text.charAt(i))) {
            return Optional.empty();
        }
        String payload = text.substring(i);
        Optional<JsonValue> json = payload.isEmpty() ? Optional.empty() : ClientJson.parse(payload);
        if (!payload.isEmpty() && json.isEmpty()) {
            return Optional.empty();
        }
        switch (type) {
            case '0':
                if (id.isPresent() || (json.isPresent() && !(json.get() instanceof JsonObject))) {
                    return Optional.empty();
                }
                return Optional.of(new Connect(nsp, json.map(v -> payload)));
            case '1':
                return id.isEmpty() && json.isEmpty() ? Optional.of(new Disconnect(nsp)) : Optional.empty();
            case '2':
                if (json.isEmpty() || !(json.get() instanceof JsonArray args) || args.isEmpty()
                        || !(args.get(0) instanceof JsonString)) {
                    return Optional.empty();
                }
                return Optional.of(new Event(nsp, id, payload));
            case '3':
                if (id.isEmpty() || json.isEmpty() || !(json.get() instanceof JsonArray)) {
                    return Optional.empty();
                }
                return Optional.of(new Ack(nsp, id.getAsLong(), payload));
            case '4':
                if (id.isPresent() || json.isEmpty() || !(json.get() instanceof JsonObject || json.get() instanceof JsonString)) {
                    return Optional.empty();
                }
                return Optional.of(new ConnectError(nsp, payload));
            default:
                return Optional.empty(); // 5/6 binary, anything else
        }
    }
}
