package dev.aiprogress.cluster;

import dev.aiprogress.event.EventType;
import dev.aiprogress.event.EventWriter;
import dev.aiprogress.event.ProgressEvent;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What one node sends another, as one JSON text: the sending node's id (so a node can ignore its
 * own echo), the user, and either an event (exactly the {@code ai_progress} JSON the sockets get,
 * written by {@link EventWriter}) or a cancel request.
 * <pre>
 * {"v":1,"node":"n1","user":"alice","event":{"type":"text","text":"Hi","partial":true,"task_id":"t","seq":2,...}}
 * {"v":1,"node":"n1","user":"alice","cancel":"t"}
 * </pre>
 * Decoding fails closed: anything else is {@link Optional#empty()}.
 */
public sealed interface Envelope permits Envelope.Event, Envelope.Cancel {

    String nodeId();

    String userId();

    /** An event for every socket of {@code userId}. */
    record Event(String nodeId, String userId, ProgressEvent event) implements Envelope {
        public Event {
            Objects.requireNonNull(nodeId, "nodeId");
            Objects.requireNonNull(userId, "userId");
            Objects.requireNonNull(event, "event");
        }
    }

    /** Cancel {@code taskId} if it runs on the receiving node and belongs to {@code userId}. */
    record Cancel(String nodeId, String userId, String taskId) implements Envelope {
        public Cancel {
            Objects.requireNonNull(nodeId, "nodeId");
            Objects.requireNonNull(userId, "userId");
            Objects.requireNonNull(taskId, "taskId");
        }
    }

    static String encode(Envelope envelope) {
        StringBuilder out = new StringBuilder(256);
        out.append("{\"v\":1,\"node\":");
        quote(envelope.nodeId(), out);
        out.append(",\"user\":");
        quote(envelope.userId(), out);
        if (envelope instanceof Event e) {
            out.append(",\"event\":");
            EventWriter.appendJson(e.event(), out);
        } else if (envelope instanceof Cancel c) {
            out.append(",\"cancel\":");
            quote(c.taskId(), out);
        }
        return out.append('}').toString();
    }

    static Optional<Envelope> decode(String text, JsonProvider json) {
        try (JsonReader reader = json.createReader(new StringReader(text))) {
            JsonObject o = reader.readObject();
            if (o.getInt("v", 0) != 1) {
                return Optional.empty();
            }
            String node = o.getString("node");
            String user = o.getString("user");
            if (o.containsKey("cancel")) {
                return Optional.of(new Cancel(node, user, o.getString("cancel")));
            }
            return Optional.of(new Event(node, user, event(o.getJsonObject("event"))));
        } catch (JsonException | ClassCastException | NullPointerException | IllegalArgumentException
                 | ArithmeticException e) {
            return Optional.empty();
        }
    }

    private static ProgressEvent event(JsonObject e) {
        JsonObject usage = e.getJsonObject("usage");
        JsonObject tool = e.getJsonObject("tool");
        JsonArray warnings = e.getJsonArray("warnings");
        List<String> warningList = null;
        if (warnings != null) {
            warningList = new ArrayList<>();
            for (JsonString w : warnings.getValuesAs(JsonString.class)) {
                warningList.add(w.getString());
            }
        }
        return new ProgressEvent(
                EventType.valueOf(e.getString("type").toUpperCase(Locale.ROOT)),
                string(e, "text"),
                e.containsKey("partial") ? e.getBoolean("partial") : null,
                string(e, "message"),
                e.getString("task_id"),
                e.getJsonNumber("seq").longValueExact(),
                e.getString("timestamp"),
                string(e, "reasoning"),
                usage == null ? null : new ProgressEvent.Usage(usage.getJsonNumber("input_tokens").longValueExact(),
                        usage.getJsonNumber("output_tokens").longValueExact(),
                        usage.getJsonNumber("total_tokens").longValueExact(), number(usage, "reasoning_tokens")),
                string(e, "provider"),
                string(e, "model"),
                string(e, "finish_reason"),
                number(e, "duration_ms"),
                number(e, "reasoning_ms"),
                tool == null ? null : new ProgressEvent.ToolInfo(tool.getString("id"), tool.getString("name"),
                        tool.getString("arguments")),
                warningList,
                string(e, "error"),
                string(e, "code"));
    }

    private static String string(JsonObject o, String key) {
        JsonValue v = o.get(key);
        return v == null ? null : ((JsonString) v).getString();
    }

    private static Long number(JsonObject o, String key) {
        JsonValue v = o.get(key);
        return v == null ? null : ((JsonNumber) v).longValueExact();
    }

    /** JSON string escaping for the envelope's own fields (ids: short and mostly plain). */
    private static void quote(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }
}
