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

    /** The last second formatted, shared by every thread: events of one second share their prefix. */
    private static volatile SecondPrefix lastSecond = new SecondPrefix(Long.MIN_VALUE, "");

    private record SecondPrefix(long epochSecond, String text) {
    }

    /**
     * The timestamp format of every event: UTC, millisecond precision. The formatter runs once per
     * second; within a second only the milliseconds are appended. Formatting every event with
     * {@link DateTimeFormatter} (BigDecimal fractions) was the plugin's largest allocation per
     * chunk on the load harness (issue 6).
     */
    public static String timestamp(Instant instant) {
        long second = instant.getEpochSecond();
        SecondPrefix prefix = lastSecond;
        if (prefix.epochSecond() != second) {
            String full = MILLIS_UTC.format(Instant.ofEpochSecond(second));
            // "….000Z" → "…." : the milliseconds and 'Z' are appended per call
            prefix = new SecondPrefix(second, full.substring(0, full.length() - 4));
            lastSecond = prefix;
        }
        int millis = instant.getNano() / 1_000_000;
        char[] tail = {(char) ('0' + millis / 100), (char) ('0' + millis / 10 % 10), (char) ('0' + millis % 10), 'Z'};
        return prefix.text().concat(new String(tail));
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
