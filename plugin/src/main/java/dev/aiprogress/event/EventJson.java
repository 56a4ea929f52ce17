package dev.aiprogress.event;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.json.bind.config.PropertyNamingStrategy;
import jakarta.json.bind.config.PropertyOrderStrategy;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Turns wire-model records into JSON text: snake_case, nulls omitted, declaration order. One per
 * runtime; {@link #close()} on undeploy.
 *
 * <p>Key order comes from {@code @JsonbPropertyOrder} on each wire record (it overrides the
 * strategy below; JSON-B promises no declaration order for records). {@link EventWriter} writes
 * the same bytes for {@link ProgressEvent} without reflection.
 */
public final class EventJson implements AutoCloseable {

    private static final DateTimeFormatter MILLIS_UTC =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Jsonb jsonb;

    public EventJson() {
        this.jsonb = JsonbBuilder.create(new JsonbConfig()
                .withPropertyNamingStrategy(PropertyNamingStrategy.LOWER_CASE_WITH_UNDERSCORES)
                .withPropertyOrderStrategy(PropertyOrderStrategy.ANY)
                .withNullValues(false)
                .withAdapters(new EventTypeAdapter()));
    }

    /** The timestamp format of every event: UTC, millisecond precision. */
    public static String timestamp(Instant instant) {
        return MILLIS_UTC.format(instant);
    }

    public String toJson(Object value) {
        return jsonb.toJson(value);
    }

    /** The shared JSON-B instance, for reading request bodies with the same rules. */
    public Jsonb jsonb() {
        return jsonb;
    }

    @Override
    public void close() throws Exception {
        jsonb.close();
    }

    /** {@code type} goes on the wire in lower case. */
    public static final class EventTypeAdapter implements jakarta.json.bind.adapter.JsonbAdapter<EventType, String> {
        @Override
        public String adaptToJson(EventType type) {
            return type.wireName();
        }

        @Override
        public EventType adaptFromJson(String name) {
            return EventType.valueOf(name.toUpperCase(java.util.Locale.ROOT));
        }
    }
}
