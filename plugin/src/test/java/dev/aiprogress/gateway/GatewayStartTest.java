package dev.aiprogress.gateway;

import dev.aiprogress.gateway.GatewayHarness.RecordingObserver;
import dev.aiprogress.provider.ProviderSettings;
import dev.aiprogress.stream.TagRules;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static dev.aiprogress.testsupport.ReplayingProvider.complete;
import static dev.aiprogress.testsupport.ReplayingProvider.content;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

class GatewayStartTest {

    private final GatewayHarness h = new GatewayHarness();

    private StartResult start(String user, Optional<String> provider, String model, Optional<String> taskId) {
        return h.gateway().start(new StartRequest(user, provider, GatewayHarness.request(model), taskId),
                new RecordingObserver());
    }

    private static StartResult.Rejected rejected(StartResult result) {
        return assertInstanceOf(StartResult.Rejected.class, result);
    }

    @Test
    void start_unknownProvider_rejected400WithKnownNames() {
        StartResult.Rejected r = rejected(start("alice", Optional.of("nope"), "", Optional.empty()));

        assertEquals(StartResult.Reason.UNKNOWN_PROVIDER, r.reason());
        assertEquals(400, r.reason().httpStatus());
        assertEquals("Unknown provider 'nope'. Known providers: primary, backup.", r.message());
        assertEquals(List.of(), h.published);
    }

    @Test
    void start_modelNotInNamedProvidersAllowList_rejected400() {
        h.primarySettings = new ProviderSettings("primary", "openai", h.primarySettings.baseUrl(), Optional.empty(),
                "p-model", List.of("p-model"), TagRules.DEFAULT, Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ZERO);
        StartResult.Rejected r = rejected(start("alice", Optional.of("primary"), "gpt-x", Optional.empty()));

        assertEquals(StartResult.Reason.MODEL_NOT_ALLOWED, r.reason());
        assertEquals(400, r.reason().httpStatus());
        assertEquals("Model 'gpt-x' is not allowed for provider 'primary'.", r.message());
        assertEquals(List.of(), h.primary.calls());
    }

    @Test
    void start_invalidTaskId_rejected400() {
        StartResult.Rejected r = rejected(start("alice", Optional.empty(), "", Optional.of("has space")));

        assertEquals(StartResult.Reason.INVALID_TASK_ID, r.reason());
        assertEquals(400, r.reason().httpStatus());
    }

    @Test
    void start_duplicateLiveTaskId_rejected409ForTheSameUser_anotherUserStartsNormally() {
        start("alice", Optional.empty(), "", Optional.of("t1"));

        StartResult.Rejected same = rejected(start("alice", Optional.empty(), "", Optional.of("t1")));
        StartResult other = start("bob", Optional.empty(), "", Optional.of("t1"));

        assertEquals(StartResult.Reason.DUPLICATE_TASK, same.reason());
        assertEquals(409, same.reason().httpStatus());
        assertEquals("A task with id 't1' is already running.", same.message());
        // a task is (user, id): Bob learns nothing about Alice's id, and both run
        assertInstanceOf(StartResult.Started.class, other);
        assertEquals(2, h.primary.calls().size());
        assertEquals("alice", h.gateway().tasks().find("t1", "alice").orElseThrow().owner());
        assertEquals("bob", h.gateway().tasks().find("t1", "bob").orElseThrow().owner());
    }

    @Test
    void start_reusingAnotherUsersFinishedId_keepsTheirRecord() {
        h.primary.script(content("x"), complete());
        start("alice", Optional.empty(), "", Optional.of("t1"));
        h.primary.lastCall().playAll();
        h.primary.script(content("y"), complete());
        start("bob", Optional.empty(), "", Optional.of("t1"));
        h.primary.lastCall().playAll();

        assertEquals(Optional.of(GenerationState.COMPLETED), h.gateway().tasks().finishedState("t1", "alice"));
        assertEquals(Optional.of(GenerationState.COMPLETED), h.gateway().tasks().finishedState("t1", "bob"));
        assertEquals(2, h.gateway().tasks().finishedCount(), "bob's task did not replace alice's record");
    }

    @Test
    void start_finishedTaskId_mayBeReused() {
        h.primary.script(content("x"), complete());
        start("alice", Optional.empty(), "", Optional.of("t1"));
        h.primary.lastCall().playAll();

        assertInstanceOf(StartResult.Started.class, start("alice", Optional.empty(), "", Optional.of("t1")));
    }

    @Test
    void start_overPerUserLimit_rejected429UntilOneFinishes() {
        h.options = h.options.withMaxLivePerUser(2);
        h.primary.script(content("x"), complete());
        start("alice", Optional.empty(), "", Optional.of("a1"));
        start("alice", Optional.empty(), "", Optional.of("a2"));

        StartResult.Rejected r = rejected(start("alice", Optional.empty(), "", Optional.of("a3")));
        assertEquals(StartResult.Reason.TOO_MANY_GENERATIONS, r.reason());
        assertEquals(429, r.reason().httpStatus());
        assertInstanceOf(StartResult.Started.class, start("bob", Optional.empty(), "", Optional.of("b1")));

        h.primary.calls().get(0).playAll();
        assertEquals(1, h.gateway().tasks().liveCount("alice"));
        assertInstanceOf(StartResult.Started.class, start("alice", Optional.empty(), "", Optional.of("a3")));
    }

    @Test
    void construct_orderNamesUnconfiguredProvider_fails() {
        h.options = h.options.withProviderOrder(List.of("primary", "ghost"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, h::gateway);
        assertEquals("providers: 'ghost' is listed but not configured", e.getMessage());
    }
}
