package dev.aiprogress.cluster;

import dev.aiprogress.event.EventType;
import dev.aiprogress.event.ProgressEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LocalBusTest {

    @Test
    void publish_anyUser_deliveredLocallyOnceInOrder() {
        List<String> delivered = new ArrayList<>();
        LocalBus bus = new LocalBus((user, e) -> delivered.add(user + ":" + e.seq()));
        bus.interest("alice", true);
        bus.publish("alice", ProgressEvent.delta(EventType.TEXT, "t", 1, "2026-11-24T10:15:30.123Z", "a"));
        bus.publish("bob", ProgressEvent.delta(EventType.TEXT, "u", 1, "2026-11-24T10:15:30.123Z", "b"));
        bus.publish("alice", ProgressEvent.delta(EventType.TEXT, "t", 2, "2026-11-24T10:15:30.123Z", "c"));
        bus.requestCancel("alice", "t");
        bus.interest("alice", false);
        bus.close();
        assertEquals(List.of("alice:1", "bob:1", "alice:2"), delivered);
    }
}
