package dev.aiprogress.gateway;

import dev.aiprogress.event.EventType;
import dev.aiprogress.event.ProgressEvent;
import dev.aiprogress.gateway.GatewayHarness.RecordingObserver;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static dev.aiprogress.testsupport.ReplayingProvider.complete;
import static dev.aiprogress.testsupport.ReplayingProvider.content;
import static org.junit.jupiter.api.Assertions.assertEquals;

class TasksTest {

    private final GatewayHarness h = new GatewayHarness();

    private static List<Long> seqs(Optional<List<ProgressEvent>> events) {
        return events.orElseThrow().stream().map(ProgressEvent::seq).toList();
    }

    @Test
    void eventsAfter_owner_getsEventsAfterTheGivenSeq() {
        h.primary.script(content("a"), content("b"), content("c"));
        h.start("alice", "t1", new RecordingObserver());
        h.primary.lastCall().playAll();

        Optional<List<ProgressEvent>> events = h.gateway().tasks().eventsAfter("t1", "alice", 2);

        assertEquals(List.of(3L, 4L), seqs(events));
        assertEquals(List.of(EventType.TEXT, EventType.TEXT), events.get().stream().map(ProgressEvent::type).toList());
    }

    @Test
    void eventsAfter_anotherUser_emptyAsForAnUnknownTask() {
        h.start("alice", "t1", new RecordingObserver());

        assertEquals(Optional.empty(), h.gateway().tasks().eventsAfter("t1", "bob", 0));
        assertEquals(Optional.empty(), h.gateway().tasks().find("t1", "bob"));
        assertEquals(Optional.empty(), h.gateway().tasks().eventsAfter("t2", "alice", 0));
    }

    @Test
    void eventsAfter_historyFull_oldestDropped() {
        h.options = h.options.withHistory(3, Duration.ofSeconds(60), 10);
        h.primary.script(content("a"), content("b"), content("c"), content("d"));
        h.start("alice", "t1", new RecordingObserver());
        h.primary.lastCall().playAll();

        assertEquals(List.of(3L, 4L, 5L), seqs(h.gateway().tasks().eventsAfter("t1", "alice", 0)));
    }

    @Test
    void finishedTask_keptForRetentionThenForgotten() {
        h.options = h.options.withHistory(100, Duration.ofSeconds(60), 10);
        h.primary.script(content("a"), complete());
        h.start("alice", "t1", new RecordingObserver());
        h.primary.lastCall().playAll();

        assertEquals(List.of(4L), seqs(h.gateway().tasks().eventsAfter("t1", "alice", 3)));
        assertEquals(0, h.gateway().tasks().liveCount());
        h.scheduler.advance(Duration.ofSeconds(60));
        assertEquals(GenerationState.COMPLETED, h.gateway().tasks().find("t1", "alice").orElseThrow().state());
        h.scheduler.advanceMillis(1);
        assertEquals(Optional.empty(), h.gateway().tasks().find("t1", "alice"));
        assertEquals(CancelOutcome.NOT_FOUND, h.gateway().cancel("t1", "alice"));
    }

    @Test
    void finishedTasks_boundedByCount_oldestForgotten() {
        h.options = h.options.withHistory(100, Duration.ofSeconds(60), 2);
        for (String id : List.of("t1", "t2", "t3")) {
            h.primary.script(content("a"), complete());
            h.start("alice", id, new RecordingObserver());
            h.primary.lastCall().playAll();
        }

        assertEquals(Optional.empty(), h.gateway().tasks().find("t1", "alice"));
        assertEquals("t2", h.gateway().tasks().find("t2", "alice").orElseThrow().id());
        assertEquals("t3", h.gateway().tasks().find("t3", "alice").orElseThrow().id());
    }
}
