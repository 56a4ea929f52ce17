package dev.aiprogress.realtime.socketio;

import dev.aiprogress.cluster.InterestListener;
import dev.aiprogress.event.EventType;
import dev.aiprogress.event.ProgressEvent;
import dev.aiprogress.realtime.Hub;
import dev.aiprogress.realtime.RealtimeOptions;
import dev.aiprogress.realtime.RecordingSink;
import dev.aiprogress.realtime.TaskControl;
import dev.aiprogress.realtime.UpgradeRequest;
import dev.aiprogress.realtime.UserLookup;
import dev.aiprogress.testsupport.ManualScheduler;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Socket.IO connection state recovery on many nodes without Redis: two hubs with cross-node offsets
 * and a list standing for the cluster's shared window (every event of the user, in publish order).
 * A socket reads part of a task on node B, goes away, and recovers on node C with B's pid and offset.
 */
class CrossNodeRecoveryTest {

    private static final String TS = "2026-11-24T10:15:30.123Z";
    private final ManualScheduler clock = new ManualScheduler();
    private final List<ProgressEvent> shared = new ArrayList<>();
    private final UserLookup users = sid -> sid.startsWith("sid-") ? Optional.of(sid.substring(4)) : Optional.empty();

    private Hub node() {
        return new Hub(e -> "{\"seq\":" + e.seq() + ",\"task\":\"" + e.taskId() + "\",\"text\":\"" + e.text() + "\"}",
                RealtimeOptions.defaults(), System::nanoTime, InterestListener.NONE, user -> List.copyOf(shared), true);
    }

    private SocketIoSession socket(Hub hub, RecordingSink sink) {
        SocketIoSession s = new SocketIoSession(sink, new UpgradeRequest(Optional.of("sid=sid-ann"), Optional.empty(),
                Optional.empty(), Optional.empty(), Map.of("EIO", "4", "transport", "websocket")),
                hub, users, TaskControl.NONE, RealtimeOptions.defaults(), clock);
        s.onOpen();
        return s;
    }

    /** Published where the task runs (node A, not modelled): to the shared window, and to node B when it holds a socket. */
    private void publish(List<Hub> holding, ProgressEvent e) {
        shared.add(e);
        holding.forEach(h -> h.publish("ann", e));
    }

    private static ProgressEvent delta(String task, long seq) {
        return ProgressEvent.delta(seq % 2 == 0 ? EventType.TEXT : EventType.REASONING, task, seq, TS, "p" + seq);
    }

    @Test
    void offsetFromAnotherNode_recoversExactlyWhatTheSocketMissed_withTheSamePid() {
        Hub b = node();
        Hub c = node();
        publish(List.of(), delta("old", 1)); // a task the socket never saw, before it connected: it is in no window of B's socket's
        RecordingSink onB = new RecordingSink(true);
        socket(b, onB).onText("40");
        String reply = onB.frames.get(1);
        String pid = reply.substring(reply.indexOf("\"pid\":\"") + 7, reply.length() - 2);
        for (int i = 1; i <= 3; i++) {
            publish(List.of(b), delta("t1", i));
        }
        publish(List.of(b), delta("t2", 1));
        String last = onB.frames.get(onB.frames.size() - 1);
        String offset = last.substring(last.lastIndexOf(",\"") + 2, last.length() - 2);
        assertTrue(offset.matches("[0-9]+\\.[A-Za-z0-9_-]{8}~1\\.old~3\\.t1~1\\.t2"), offset);

        // the socket is gone; the tasks go on (and a third starts) while it has no socket anywhere
        publish(List.of(), delta("t1", 4));
        publish(List.of(), delta("t1", 5));
        publish(List.of(), delta("t3", 1));

        RecordingSink onC = new RecordingSink(true);
        socket(c, onC).onText("40{\"pid\":\"" + pid + "\",\"offset\":\"" + offset + "\"}");
        assertTrue(onC.frames.get(1).endsWith(",\"pid\":\"" + pid + "\"}"), onC.frames.get(1));
        List<String> replayed = onC.frames.subList(2, onC.frames.size()).stream()
                .map(f -> f.substring(f.indexOf('{'), f.indexOf('}') + 1)).toList();
        assertEquals(List.of("{\"seq\":4,\"task\":\"t1\",\"text\":\"p4\"}", "{\"seq\":5,\"task\":\"t1\",\"text\":\"p5\"}",
                "{\"seq\":1,\"task\":\"t3\",\"text\":\"p1\"}"), replayed);
    }

    @Test
    void offsetOfThisNode_recoversByTheNumber_asOnOneNode() {
        Hub b = node();
        RecordingSink first = new RecordingSink(true);
        SocketIoSession s = socket(b, first);
        s.onText("40");
        String pid = first.frames.get(1).substring(first.frames.get(1).indexOf("\"pid\":\"") + 7, first.frames.get(1).length() - 2);
        publish(List.of(b), delta("t", 1));
        String f = first.frames.get(2);
        String offset = f.substring(f.lastIndexOf(",\"") + 2, f.length() - 2);
        s.onClose();
        publish(List.of(b), delta("t", 2));
        RecordingSink again = new RecordingSink(true);
        socket(b, again).onText("40{\"pid\":\"" + pid + "\",\"offset\":\"" + offset + "\"}");
        assertTrue(again.frames.get(1).endsWith(",\"pid\":\"" + pid + "\"}"));
        assertEquals(3, again.frames.size());
        assertTrue(again.frames.get(2).contains("\"seq\":2"), again.frames.get(2));
    }

    @Test
    void pidThisNodeKnowsForAnotherUser_refused_theSocketStartsAfresh() {
        Hub b = node();
        Hub c = node();
        RecordingSink bob = new RecordingSink(true);
        SocketIoSession bobs = new SocketIoSession(bob, new UpgradeRequest(Optional.of("sid=sid-bob"), Optional.empty(),
                Optional.empty(), Optional.empty(), Map.of("EIO", "4", "transport", "websocket")), c, users,
                TaskControl.NONE, RealtimeOptions.defaults(), clock);
        bobs.onOpen();
        bobs.onText("40");
        String bobsPid = pidOf(bob.frames.get(1));
        RecordingSink onB = new RecordingSink(true);
        socket(b, onB).onText("40");
        publish(List.of(b), delta("t", 1));
        String f = onB.frames.get(2);
        String offset = f.substring(f.lastIndexOf(",\"") + 2, f.length() - 2);
        RecordingSink onC = new RecordingSink(true);
        socket(c, onC).onText("40{\"pid\":\"" + bobsPid + "\",\"offset\":\"" + offset + "\"}");
        assertTrue(!pidOf(onC.frames.get(1)).equals(bobsPid), "not bob's pid: " + onC.frames.get(1));
    }

    private static String pidOf(String connectReply) {
        return connectReply.substring(connectReply.indexOf("\"pid\":\"") + 7, connectReply.length() - 2);
    }
}
