package dev.aiprogress.gateway;

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

    @Test
    void find_runningTask_onlyForItsOwner() {
        h.start("alice", "t1", new RecordingObserver());

        assertEquals("t1", h.gateway().tasks().find("t1", "alice").orElseThrow().id());
        assertEquals(Optional.empty(), h.gateway().tasks().find("t1", "bob"));
        assertEquals(Optional.empty(), h.gateway().tasks().find("t2", "alice"));
        assertEquals(CancelOutcome.NOT_FOUND, h.gateway().cancel("t1", "bob"));
    }

    @Test
    void finishedTask_rememberedForRetentionThenForgotten() {
        h.options = h.options.withFinishedTasks(Duration.ofSeconds(60), 10);
        h.primary.script(content("a"), complete());
        h.start("alice", "t1", new RecordingObserver());
        h.primary.lastCall().playAll();

        assertEquals(0, h.gateway().tasks().liveCount());
        assertEquals(Optional.empty(), h.gateway().tasks().find("t1", "alice"), "no longer running");
        h.scheduler.advance(Duration.ofSeconds(60));
        assertEquals(Optional.of(GenerationState.COMPLETED), h.gateway().tasks().finishedState("t1", "alice"));
        assertEquals(Optional.empty(), h.gateway().tasks().finishedState("t1", "bob"));
        assertEquals(CancelOutcome.ALREADY_FINISHED, h.gateway().cancel("t1", "alice"));
        h.scheduler.advanceMillis(1);
        assertEquals(Optional.empty(), h.gateway().tasks().finishedState("t1", "alice"));
        assertEquals(CancelOutcome.NOT_FOUND, h.gateway().cancel("t1", "alice"));
    }

    @Test
    void prune_afterTheRetention_forgetsWithoutAnyLookup() {
        h.options = h.options.withFinishedTasks(Duration.ofSeconds(8), 10);
        h.primary.script(content("a"), complete());
        h.start("alice", "t1", new RecordingObserver());
        h.primary.lastCall().playAll();
        assertEquals(1, h.gateway().tasks().finishedCount());

        h.scheduler.advance(Duration.ofSeconds(8));
        h.gateway().tasks().prune();
        assertEquals(1, h.gateway().tasks().finishedCount());
        h.scheduler.advanceMillis(1);
        h.gateway().tasks().prune();
        assertEquals(0, h.gateway().tasks().finishedCount());
        assertEquals(Duration.ofSeconds(2), h.gateway().tasks().pruneEvery());
    }

    @Test
    void finishedTasks_boundedByCount_oldestForgotten() {
        h.options = h.options.withFinishedTasks(Duration.ofSeconds(60), 2);
        for (String id : List.of("t1", "t2", "t3")) {
            h.primary.script(content("a"), complete());
            h.start("alice", id, new RecordingObserver());
            h.primary.lastCall().playAll();
        }

        assertEquals(Optional.empty(), h.gateway().tasks().finishedState("t1", "alice"));
        assertEquals(Optional.of(GenerationState.COMPLETED), h.gateway().tasks().finishedState("t2", "alice"));
        assertEquals(Optional.of(GenerationState.COMPLETED), h.gateway().tasks().finishedState("t3", "alice"));
    }
}
