package dev.aiprogress.realtime.socketio;

import dev.aiprogress.event.EventType;
import dev.aiprogress.event.ProgressEvent;
import dev.aiprogress.realtime.Hub;
import dev.aiprogress.realtime.RealtimeCounters;
import dev.aiprogress.realtime.RealtimeOptions;
import dev.aiprogress.realtime.RecordingSink;
import dev.aiprogress.realtime.TaskControl;
import dev.aiprogress.realtime.UpgradeRequest;
import dev.aiprogress.realtime.UserLookup;
import dev.aiprogress.testsupport.ManualScheduler;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The long-polling session and its upgrade without a container: in-memory requests, an in-memory
 * WebSocket, and a manual clock (heartbeat and timeouts run when the test moves time, never by
 * waiting). The raw HTTP/WebSocket version of these cases is {@code realtime.servlet.PollingProtocolTest}.
 */
class PollingSessionTest {

    private static final String TS = "2026-11-24T10:15:30.123Z";
    private static final RealtimeOptions OPTIONS = RealtimeOptions.defaults();

    private final ManualScheduler clock = new ManualScheduler();
    private final Hub hub = Hub.singleNode(e -> "{\"seq\":" + e.seq() + ",\"task\":\"" + e.taskId() + "\"}", OPTIONS);
    private final UserLookup users = sid -> sid.startsWith("sid-") ? Optional.of(sid.substring(4)) : Optional.empty();

    /** One answered (or not yet answered) HTTP request. */
    static final class Request implements PollExchange {
        int status;
        String body;

        @Override
        public synchronized void respond(int status, String contentType, String body) {
            if (this.body == null) {
                this.status = status;
                this.body = body;
            }
        }

        synchronized boolean answered() {
            return body != null;
        }

        /** The packets of a 200 payload. */
        List<String> packets() {
            assertEquals(200, status, body);
            return Arrays.asList(body.split("\u001e"));
        }
    }

    private PollingSessions sessions(RealtimeOptions options) {
        return new PollingSessions(hub, users, TaskControl.NONE, options, clock);
    }

    private static UpgradeRequest handshakeRequest(String cookie) {
        return new UpgradeRequest(Optional.ofNullable(cookie), Optional.empty(), Optional.empty(), Optional.empty(),
                Map.of("EIO", "4", "transport", "polling"));
    }

    /** Handshake, CONNECT by POST, and the CONNECT reply by GET: the session as a client sees it once connected. */
    private PollingSession connected(PollingSessions sessions, String user) {
        Request handshake = new Request();
        sessions.open(handshakeRequest("sid=sid-" + user), handshake);
        String open = handshake.packets().get(0);
        assertTrue(open.matches("0\\{\"sid\":\"[A-Za-z0-9_-]{20}\",\"upgrades\":\\[\"websocket\"],\"pingInterval\":25000,"
                + "\"pingTimeout\":20000,\"maxPayload\":1000000}"), open);
        String sid = open.substring(9, 29);
        PollingSession s = sessions.find(sid).orElseThrow();
        post(s, "40");
        Request reply = new Request();
        s.poll(reply);
        assertTrue(reply.packets().get(0).startsWith("40{\"sid\":"), reply.body);
        return s;
    }

    private static Request post(PollingSession s, String body) {
        Request r = new Request();
        assertTrue(s.beginPost());
        s.post(body, r);
        return r;
    }

    private void publish(String user, String task, long seq) {
        hub.publish(user, ProgressEvent.delta(seq % 2 == 0 ? EventType.TEXT : EventType.REASONING, task, seq, TS, "x" + seq));
    }

    @Test
    void poll_nothingToSend_parksWithoutAThread_andTheNextFrameAnswersIt() {
        PollingSession s = connected(sessions(OPTIONS), "ann");
        Request get = new Request();
        s.poll(get);
        assertFalse(get.answered());
        publish("ann", "t1", 1);
        assertEquals(List.of("42[\"ai_progress\",{\"seq\":1,\"task\":\"t1\"},\"1\"]"), get.packets());
    }

    @Test
    void poll_framesQueuedWhileNoGet_theNextGetTakesThemAllInOrder_joinedByRecordSeparators() {
        PollingSession s = connected(sessions(OPTIONS), "bea");
        publish("bea", "t1", 1);
        publish("bea", "t2", 1);
        hub.publish("bea", ProgressEvent.thinking("t3", 1, TS, "x"));
        Request get = new Request();
        s.poll(get);
        assertEquals(List.of("42[\"ai_progress\",{\"seq\":1,\"task\":\"t1\"},\"1\"]",
                "42[\"ai_progress\",{\"seq\":1,\"task\":\"t2\"},\"2\"]",
                "42[\"ai_progress\",{\"seq\":1,\"task\":\"t3\"},\"3\"]"), get.packets());
    }

    @Test
    void poll_secondGetWhileOneWaits_400_andTheSessionClosesWithTheWaitingGetGettingClose() {
        PollingSessions sessions = sessions(OPTIONS);
        PollingSession s = connected(sessions, "cat");
        Request first = new Request();
        Request second = new Request();
        s.poll(first);
        s.poll(second);
        assertEquals(400, second.status);
        assertEquals("{\"code\":3,\"message\":\"Bad request: one GET and one POST at a time per session\"}", second.body);
        assertEquals(List.of("1"), first.packets());
        assertTrue(sessions.find(s.sid()).isEmpty());
        assertEquals(0, hub.socketCount());
    }

    @Test
    void post_secondWhileOneIsRead_refused_andTheSessionCloses() {
        PollingSessions sessions = sessions(OPTIONS);
        PollingSession s = connected(sessions, "dan");
        assertTrue(s.beginPost());
        assertFalse(s.beginPost());
        assertTrue(sessions.find(s.sid()).isEmpty());
    }

    @Test
    void post_malformedPayloads_400_andTheSessionCloses() {
        for (String body : List.of("", "abc", "4hello\u001e", "\u001e40", "bAQIDBA==", "1x")) {
            PollingSessions sessions = sessions(OPTIONS);
            PollingSession s = connected(sessions, "eve");
            Request r = post(s, body);
            assertEquals(400, r.status, body);
            assertEquals("{\"code\":3,\"message\":\"Bad request: malformed payload\"}", r.body);
            assertTrue(sessions.find(s.sid()).isEmpty(), body);
        }
    }

    @Test
    void post_severalPacketsInOnePayload_allHandledInOrder() {
        PollingSessions sessions = sessions(OPTIONS);
        Request handshake = new Request();
        sessions.open(handshakeRequest("sid=sid-fay"), handshake);
        PollingSession s = sessions.find(handshake.body.substring(9, 29)).orElseThrow();
        assertEquals("ok", post(s, "40\u001e421[\"cancel\",{\"task_id\":\"nope\"}]").body);
        Request get = new Request();
        s.poll(get);
        List<String> packets = get.packets();
        assertEquals(2, packets.size(), get.body);
        assertTrue(packets.get(0).startsWith("40{\"sid\":"));
        assertEquals("431[{\"cancelled\":false}]", packets.get(1));
    }

    @Test
    void postTooLarge_413_andTheWaitingGetGetsClose() {
        PollingSessions sessions = sessions(OPTIONS);
        PollingSession s = connected(sessions, "gus");
        Request get = new Request();
        s.poll(get);
        Request big = new Request();
        assertTrue(s.beginPost());
        s.postTooLarge(big);
        assertEquals(413, big.status);
        assertEquals("{\"code\":3,\"message\":\"Payload too large\"}", big.body);
        assertEquals(List.of("1"), get.packets());
        assertTrue(sessions.find(s.sid()).isEmpty());
    }

    @Test
    void heartbeat_pingGoesToTheWaitingGet_pongByPost_keepsTheSession() {
        PollingSessions sessions = sessions(OPTIONS);
        PollingSession s = connected(sessions, "hal");
        for (int i = 0; i < 3; i++) {
            Request get = new Request();
            s.poll(get);
            clock.advance(OPTIONS.pingInterval());
            assertEquals(List.of("2"), get.packets());
            assertEquals("ok", post(s, "3").body);
        }
        clock.advance(OPTIONS.pingTimeout());
        assertTrue(sessions.find(s.sid()).isPresent());
    }

    @Test
    void heartbeat_clientStopsPolling_closedAfterThePingTimeout_andEverythingReleased() {
        PollingSessions sessions = sessions(OPTIONS);
        PollingSession s = connected(sessions, "ivy");
        assertEquals(1, hub.socketCount());
        assertEquals(1, hub.counters().openSockets(RealtimeCounters.Transport.SOCKETIO));
        clock.advance(OPTIONS.pingInterval());
        assertTrue(sessions.find(s.sid()).isPresent(), "the ping waits for a GET");
        clock.advance(OPTIONS.pingTimeout());
        assertTrue(sessions.find(s.sid()).isEmpty());
        assertEquals(0, hub.socketCount());
        assertEquals(0, sessions.size());
        assertEquals(0, clock.pendingCount(), "no timer left behind");
        assertEquals(0, hub.counters().openSockets(RealtimeCounters.Transport.SOCKETIO));
        Request late = new Request();
        s.poll(late);
        assertEquals(400, late.status);
        assertEquals("{\"code\":1,\"message\":\"Session ID unknown\"}", late.body);
    }

    @Test
    void closePacket_fromTheClient_waitingGetGetsNoop_thenTheSidIsUnknown() {
        PollingSessions sessions = sessions(OPTIONS);
        PollingSession s = connected(sessions, "jon");
        Request get = new Request();
        s.poll(get);
        assertEquals("ok", post(s, "1").body);
        assertEquals(List.of("6"), get.packets());
        assertTrue(sessions.find(s.sid()).isEmpty());
        assertEquals(0, hub.socketCount());
    }

    @Test
    void outboxOverflow_clientNotPolling_sessionClosed_andItsSlotFreed() {
        RealtimeOptions small = OPTIONS.withReplay(Duration.ofSeconds(60), 5, 1000).withOutbox(5, 1000);
        Hub smallHub = Hub.singleNode(e -> "{\"seq\":" + e.seq() + "}", small);
        PollingSessions sessions = new PollingSessions(smallHub, users, TaskControl.NONE, small, clock);
        Request handshake = new Request();
        sessions.open(handshakeRequest("sid=sid-kim"), handshake);
        PollingSession s = sessions.find(handshake.body.substring(9, 29)).orElseThrow();
        post(s, "40");
        for (int i = 1; i <= 10; i++) {
            smallHub.publish("kim", ProgressEvent.thinking("t" + i, 1, TS, "x"));
        }
        assertTrue(sessions.find(s.sid()).isEmpty());
        assertEquals(0, smallHub.socketCount());
        assertEquals(1, smallHub.counters().overflowCloseCount());
    }

    @Test
    void upgrade_probeThenUpgrade_waitingGetGetsNoop_eventsFollowOnTheWebSocket() {
        PollingSessions sessions = sessions(OPTIONS);
        PollingSession s = connected(sessions, "lea");
        Request get = new Request();
        s.poll(get);
        RecordingSink ws = new RecordingSink(true);
        PollingSession.Upgrade upgrade = s.upgrade(ws).orElseThrow();
        upgrade.onText("2probe");
        assertEquals(List.of("3probe"), ws.frames);
        assertEquals(List.of("6"), get.packets());
        upgrade.onText("5");
        publish("lea", "t1", 1);
        assertEquals(List.of("3probe", "42[\"ai_progress\",{\"seq\":1,\"task\":\"t1\"},\"1\"]"), ws.frames);
        Request after = new Request();
        s.poll(after);
        assertEquals(400, after.status);
        assertEquals("{\"code\":3,\"message\":\"Bad request: the session was upgraded to websocket\"}", after.body);
        assertTrue(s.upgrade(new RecordingSink(true)).isEmpty(), "a second WebSocket with the sid is refused");
        assertEquals(1, hub.socketCount());
        upgrade.onText("41");
        assertEquals(0, hub.socketCount());
        assertTrue(sessions.find(s.sid()).isEmpty());
    }

    @Test
    void upgrade_eventsPublishedDuringTheSwitch_eachArrivesOnceInOrder_onOneTransportOrTheOther() {
        PollingSessions sessions = sessions(OPTIONS);
        PollingSession s = connected(sessions, "max");
        List<String> received = new ArrayList<>();
        publish("max", "t", 1); // in flight, no GET
        RecordingSink ws = new RecordingSink(true);
        PollingSession.Upgrade upgrade = s.upgrade(ws).orElseThrow();
        upgrade.onText("2probe");
        publish("max", "t", 2);
        Request during = new Request();
        s.poll(during); // a GET the client had in flight before it paused: answered at once with what waits
        received.addAll(during.packets());
        Request last = new Request();
        s.poll(last);   // nothing waits now: a noop, never parked
        assertEquals(List.of("6"), last.packets());
        publish("max", "t", 3); // polling is paused: in flight until the switch
        upgrade.onText("5");
        publish("max", "t", 4);
        ws.frames.stream().filter(f -> !f.equals("3probe")).forEach(received::add);
        assertEquals(List.of("42[\"ai_progress\",{\"seq\":1,\"task\":\"t\"},\"1\"]",
                "42[\"ai_progress\",{\"seq\":2,\"task\":\"t\"},\"2\"]",
                "42[\"ai_progress\",{\"seq\":3,\"task\":\"t\"},\"3\"]",
                "42[\"ai_progress\",{\"seq\":4,\"task\":\"t\"},\"4\"]"), received);
    }

    @Test
    void upgrade_frameInFlightOnPolling_movesToTheWebSocket_andTheQueueBehindItFollows() {
        PollingSessions sessions = sessions(OPTIONS);
        PollingSession s = connected(sessions, "ned");
        RecordingSink ws = new RecordingSink(true);
        PollingSession.Upgrade upgrade = s.upgrade(ws).orElseThrow();
        upgrade.onText("2probe");
        hub.publish("ned", ProgressEvent.thinking("a", 1, TS, "x"));
        hub.publish("ned", ProgressEvent.thinking("b", 1, TS, "x"));
        upgrade.onText("5");
        assertEquals(List.of("3probe", "42[\"ai_progress\",{\"seq\":1,\"task\":\"a\"},\"1\"]",
                "42[\"ai_progress\",{\"seq\":1,\"task\":\"b\"},\"2\"]"), ws.frames);
    }

    @Test
    void upgrade_probeAnswerNotYetWritten_switchWaitsForIt_soTheWebSocketHasOneSendInFlight() {
        PollingSessions sessions = sessions(OPTIONS);
        PollingSession s = connected(sessions, "ola");
        RecordingSink ws = new RecordingSink(false);
        PollingSession.Upgrade upgrade = s.upgrade(ws).orElseThrow();
        upgrade.onText("2probe");
        hub.publish("ola", ProgressEvent.thinking("a", 1, TS, "x"));
        upgrade.onText("5");
        assertEquals(List.of("3probe"), ws.frames);
        ws.completeOne();
        assertEquals(List.of("3probe", "42[\"ai_progress\",{\"seq\":1,\"task\":\"a\"},\"1\"]"), ws.frames);
    }

    @Test
    void upgrade_unexpectedFrameOnTheCandidate_closesIt_andPollingGoesOn() {
        PollingSessions sessions = sessions(OPTIONS);
        PollingSession s = connected(sessions, "pia");
        RecordingSink ws = new RecordingSink(true);
        s.upgrade(ws).orElseThrow().onText("4hello");
        assertEquals(List.of("1002 invalid packet during upgrade"), ws.closes);
        Request get = new Request();
        s.poll(get);
        publish("pia", "t", 1);
        assertEquals(1, get.packets().size());
        assertTrue(s.upgrade(new RecordingSink(true)).isPresent(), "a new attempt may follow");
    }

    @Test
    void upgrade_upgradeBeforeProbe_isRefused() {
        PollingSessions sessions = sessions(OPTIONS);
        PollingSession s = connected(sessions, "quin");
        RecordingSink ws = new RecordingSink(true);
        s.upgrade(ws).orElseThrow().onText("5");
        assertEquals(List.of("1002 invalid packet during upgrade"), ws.closes);
        assertTrue(sessions.find(s.sid()).isPresent());
    }

    @Test
    void upgrade_candidateClosesBeforeUpgrading_pollingGoesOn() {
        PollingSessions sessions = sessions(OPTIONS);
        PollingSession s = connected(sessions, "ray");
        RecordingSink ws = new RecordingSink(true);
        PollingSession.Upgrade upgrade = s.upgrade(ws).orElseThrow();
        upgrade.onText("2probe");
        upgrade.onClose();
        Request get = new Request();
        s.poll(get);
        assertFalse(get.answered(), "parked again: polling goes on");
        assertEquals(1, hub.socketCount());
    }

    @Test
    void upgrade_noUpgradeWithinTheTimeout_candidateClosed() {
        PollingSessions sessions = sessions(OPTIONS);
        PollingSession s = connected(sessions, "sam");
        RecordingSink ws = new RecordingSink(true);
        s.upgrade(ws).orElseThrow();
        clock.advance(OPTIONS.pingTimeout());
        assertEquals(List.of("1002 upgrade timeout"), ws.closes);
        assertTrue(sessions.find(s.sid()).isPresent());
    }

    @Test
    void upgrade_secondWebSocketWhileOneProbes_refused() {
        PollingSession s = connected(sessions(OPTIONS), "tia");
        assertTrue(s.upgrade(new RecordingSink(true)).isPresent());
        assertTrue(s.upgrade(new RecordingSink(true)).isEmpty());
    }

    @Test
    void upgraded_webSocketCloses_sessionEnds_andReleasesEverything() {
        PollingSessions sessions = sessions(OPTIONS);
        PollingSession s = connected(sessions, "uma");
        RecordingSink ws = new RecordingSink(true);
        PollingSession.Upgrade upgrade = s.upgrade(ws).orElseThrow();
        upgrade.onText("2probe");
        upgrade.onText("5");
        upgrade.onClose();
        assertTrue(sessions.find(s.sid()).isEmpty());
        assertEquals(0, hub.socketCount());
        assertEquals(0, clock.pendingCount());
        assertNull(s.socket().outbox().isClosed() ? null : "open");
    }

    /** A session opened with {@code cookie} (may be null) that sends {@code connect}; the CONNECT's answer. */
    private String connectAnswer(PollingSessions sessions, String cookie, String connect) {
        Request handshake = new Request();
        sessions.open(handshakeRequest(cookie), handshake);
        PollingSession s = sessions.find(handshake.body.substring(9, 29)).orElseThrow();
        post(s, connect);
        Request reply = new Request();
        s.poll(reply);
        return reply.body;
    }

    @Test
    void identity_authSidOfTheConnectPacket_orNothingKnown_asOnAWebSocket() {
        PollingSessions sessions = sessions(OPTIONS);
        assertTrue(connectAnswer(sessions, null, "40{\"sid\":\"sid-vic\"}").startsWith("40{\"sid\":"));
        assertEquals(1, hub.socketCount("vic"));
        assertEquals("44{\"message\":\"Unauthorized\"}", connectAnswer(sessions, null, "40{\"sid\":\"nobody\"}"));
        assertEquals("44{\"message\":\"Unauthorized\"}", connectAnswer(sessions, "sid=nobody", "40"));
    }

    @Test
    void socketLimit_perUser_countsPollingSessionsToo() {
        RealtimeOptions one = OPTIONS.withMaxSocketsPerUser(1);
        Hub oneEach = Hub.singleNode(e -> "{}", one);
        PollingSessions sessions = new PollingSessions(oneEach, users, TaskControl.NONE, one, clock);
        assertTrue(connectAnswer(sessions, "sid=sid-wes", "40").startsWith("40{\"sid\":"));
        assertEquals("44{\"message\":\"Too many connections\"}", connectAnswer(sessions, "sid=sid-wes", "40"));
    }

    @Test
    void guest_allowed_aSessionWithoutCredentialsConnectsAsANewGuest() {
        UserLookup guests = new UserLookup() {
            @Override
            public Optional<String> userForSession(String sessionId) {
                return Optional.empty();
            }

            @Override
            public Optional<String> newGuest() {
                return Optional.of("guest:1");
            }
        };
        PollingSessions sessions = new PollingSessions(hub, guests, TaskControl.NONE, OPTIONS, clock);
        Request handshake = new Request();
        sessions.open(handshakeRequest(null), handshake);
        PollingSession s = sessions.find(handshake.body.substring(9, 29)).orElseThrow();
        post(s, "40");
        Request reply = new Request();
        s.poll(reply);
        assertTrue(reply.body.startsWith("40{\"sid\":"), reply.body);
        assertEquals(1, hub.socketCount("guest:1"));
    }

}
