package dev.aiprogress.realtime.socketio;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The HTTP long-polling payload of Engine.IO v4: packets as text, joined by the record separator
 * {@code \x1e} (which the protocol assumes never occurs inside a packet). Binary packets
 * ({@code b<base64>}) are not part of this server's protocol and make a payload malformed.
 */
public final class EnginePayload {

    /** The record separator between two packets of one payload. */
    public static final char SEPARATOR = '\u001e';

    private EnginePayload() {
    }

    /** The packets of a request body, in order; empty when any packet is empty, binary or not a packet. */
    public static Optional<List<String>> decode(String body) {
        if (body.isEmpty()) {
            return Optional.empty();
        }
        List<String> packets = new ArrayList<>(2);
        int from = 0;
        while (true) {
            int end = body.indexOf(SEPARATOR, from);
            String packet = end < 0 ? body.substring(from) : body.substring(from, end);
            if (packet.isEmpty() || packet.charAt(0) == 'b' || EnginePacket.decode(packet).isEmpty()) {
                return Optional.empty();
            }
            packets.add(packet);
            if (end < 0) {
                return Optional.of(packets);
            }
            from = end + 1;
        }
    }

    /** One response body for the packets, in order. */
    public static String encode(List<String> packets) {
        if (packets.size() == 1) {
            return packets.get(0);
        }
        int length = packets.size();
        for (String p : packets) {
            length += p.length();
        }
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < packets.size(); i++) {
            if (i > 0) {
                out.append(SEPARATOR);
            }
            out.append(packets.get(i));
        }
        return out.toString();
    }
}
