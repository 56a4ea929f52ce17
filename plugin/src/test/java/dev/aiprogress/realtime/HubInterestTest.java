package dev.aiprogress.realtime;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The hub tells the cluster bus when a user's first socket joins and the last one leaves, and only then. */
class HubInterestTest {

    private final List<String> calls = new ArrayList<>();
    private final Hub hub = new Hub(e -> "{}", RealtimeOptions.defaults(), System::nanoTime,
            (user, held) -> calls.add(user + (held ? "+" : "-")));

    private Outbox outbox() {
        return hub.newOutbox(new RecordingSink(true), (json, offset) -> json);
    }

    @Test
    void attachDetach_twoSocketsOfOneUserAndOneOfAnother_firstJoinAndLastLeaveOnly() {
        Hub.Attachment a1 = hub.attach("alice", outbox());
        Hub.Attachment a2 = hub.attach("alice", outbox());
        Hub.Attachment b1 = hub.attach("bob", outbox());
        a1.detach();
        a1.detach();
        b1.detach();
        a2.detach();
        Hub.Attachment a3 = hub.attach("alice", outbox());
        a3.outbox().close(1000, "bye");
        assertEquals(List.of("alice+", "bob+", "bob-", "alice-", "alice+", "alice-"), calls);
    }

    @Test
    void recover_afterTheLastSocketLeft_gainsInterestAgain() {
        Hub.Attachment a = hub.attach("carol", outbox());
        a.detach();
        Hub.Attachment back = hub.recover("carol", a.pid(), 0, outbox()).orElseThrow();
        back.detach();
        assertEquals(List.of("carol+", "carol-", "carol+", "carol-"), calls);
    }
}
