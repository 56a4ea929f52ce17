package dev.aiprogress.cluster.redis;

import dev.aiprogress.cluster.ClusterBus;
import dev.aiprogress.event.EventType;
import dev.aiprogress.event.ProgressEvent;
import dev.aiprogress.testsupport.Await;
import dev.aiprogress.testsupport.RedisServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Redis bus between three in-process "nodes" over a real {@code redis-server}. */
class RedisBusTest {

    static final String TS = "2026-11-24T10:15:30.123Z";
    static RedisServer redis;

    final List<RedisBus> buses = new ArrayList<>();

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (redis != null) {
            redis.close();
        }
    }

    @AfterEach
    void closeBuses() {
        buses.forEach(RedisBus::close);
    }

    /**
     * One node: what its local sockets were handed, as {@code user:task:seq}; events refilled after a
     * subscription gap are skipped when already handed over, as the hub's {@code publishIfNewer} does.
     */
    final class Node {
        final BlockingQueue<String> delivered = new LinkedBlockingQueue<>();
        final BlockingQueue<String> cancels = new LinkedBlockingQueue<>();
        final java.util.Map<String, Long> lastSeq = new java.util.concurrent.ConcurrentHashMap<>();
        final RedisBus bus;

        Node() {
            bus = RedisBus.connect(URI.create(redis.uri()), new ClusterBus.Delivery() {
                @Override
                public void deliver(String user, ProgressEvent e) {
                    lastSeq.merge(user + ":" + e.taskId(), e.seq(), Math::max);
                    delivered.add(user + ":" + e.taskId() + ":" + e.seq());
                }

                @Override
                public synchronized boolean deliverIfNewer(String user, ProgressEvent e) {
                    if (lastSeq.getOrDefault(user + ":" + e.taskId(), 0L) < e.seq()) {
                        deliver(user, e);
                        return true;
                    }
                    return false;
                }
            }, (user, task) -> cancels.add(user + ":" + task));
            buses.add(bus);
        }

        List<String> take(int n) throws InterruptedException {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String next = delivered.poll(10, TimeUnit.SECONDS);
                assertNotNull(next, "delivery " + (i + 1) + " of " + n + " did not arrive; got " + out
                        + " (dropped for lack of Redis on this node: " + bus.droppedCount() + ")");
                out.add(next);
            }
            return out;
        }
    }

    static ProgressEvent text(String task, long seq) {
        return ProgressEvent.delta(EventType.TEXT, task, seq, TS, "piece " + seq);
    }

    static List<String> expected(String user, String task, int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            out.add(user + ":" + task + ":" + i);
        }
        return out;
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        Await.until(Duration.ofSeconds(15), condition, "gave up waiting: " + what);
    }

    @Test
    void publish_userHeldOnTwoNodes_reachesBothInOrderOnceAndNoOtherNode() throws Exception {
        Node a = new Node();
        Node b = new Node();
        Node c = new Node();
        a.bus.interest("alice", true);
        b.bus.interest("alice", true);
        c.bus.interest("bob", true);
        await(() -> redis.subscribers(RedisBus.userChannel("alice")) == 2, "alice subscribed on a and b");
        await(() -> redis.subscribers(RedisBus.userChannel("bob")) == 1, "bob subscribed on c");

        for (int i = 1; i <= 200; i++) {
            a.bus.publish("alice", text("ta", i));
        }
        a.bus.publish("bob", text("tb", 1));

        // a delivers locally without a round trip and ignores its echo: exactly once
        assertEquals(expected("alice", "ta", 1, 200), a.take(200));
        assertEquals(List.of("bob:tb:1"), a.take(1));
        assertEquals(expected("alice", "ta", 1, 200), b.take(200));
        // bob's marker was published after every alice event: c got it, and nothing of alice before it
        assertEquals(List.of("bob:tb:1"), c.take(1));
        assertEquals(List.of(), List.copyOf(c.delivered));
        assertEquals(List.of(), List.copyOf(b.delivered));
        assertEquals(List.of(), List.copyOf(a.delivered));
        assertEquals(201, a.bus.publishedCount());
        // counted once handed over (an event the subscription's refill read may be counted just after)
        await(() -> b.bus.receivedCount() == 200, "200 events counted as received on b");
        assertEquals(0, a.bus.receivedCount());
    }

    @Test
    void interest_lastSocketGone_unsubscribesAndNothingMoreArrives() throws Exception {
        Node a = new Node();
        Node b = new Node();
        b.bus.interest("carol", true);
        b.bus.interest("dave", true);
        await(() -> redis.subscribers(RedisBus.userChannel("carol")) == 1, "carol subscribed");
        b.bus.interest("carol", false);
        await(() -> redis.subscribers(RedisBus.userChannel("carol")) == 0, "carol unsubscribed");
        await(() -> redis.subscribers(RedisBus.userChannel("dave")) == 1, "dave still subscribed");
        a.bus.publish("carol", text("tc", 1));
        a.bus.publish("dave", text("td", 1));
        assertEquals(List.of("dave:td:1"), b.take(1));
        assertEquals(List.of(), List.copyOf(b.delivered));
        assertEquals(1, b.bus.userChannelCount());
    }

    @Test
    void requestCancel_fromOneNode_reachesEveryOtherNodeOnly() throws Exception {
        Node a = new Node();
        Node b = new Node();
        Node c = new Node();
        await(() -> redis.subscribers(RedisBus.CANCEL_CHANNEL) >= 3, "cancel channel subscribed");
        a.bus.requestCancel("alice", "t-run");
        assertEquals("alice:t-run", b.cancels.poll(10, TimeUnit.SECONDS));
        assertEquals("alice:t-run", c.cancels.poll(10, TimeUnit.SECONDS));
        // a marker through the same path proves a's own cancel echo was skipped, not late
        b.bus.requestCancel("bob", "marker");
        assertEquals("bob:marker", a.cancels.poll(10, TimeUnit.SECONDS));
    }

    @Test
    void connect_redisDown_failsNamingHostAndPortAndLeavesNoThreads() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> RedisBus.connect(URI.create("redis://:secret@127.0.0.1:" + port), (u, ev) -> { },
                        ClusterBus.CancelHandler.NONE));
        assertTrue(e.getMessage().startsWith("cannot connect to Redis at 127.0.0.1:" + port + ": "), e.getMessage());
        assertTrue(!e.getMessage().contains("secret"), e.getMessage());
        assertNoLettuceThreads();
    }

    @Test
    void redisKilledMidStream_localDeliveryGoesOn_gapCounted_crossNodeResumesAfterRestart() throws Exception {
        Node a = new Node();
        Node b = new Node();
        b.bus.interest("erin", true);
        await(() -> redis.subscribers(RedisBus.userChannel("erin")) == 1, "erin subscribed");
        for (int i = 1; i <= 10; i++) {
            a.bus.publish("erin", text("te", i));
        }
        assertEquals(expected("erin", "te", 1, 10), b.take(10));

        redis.kill();
        await(() -> !a.bus.isConnected() && !b.bus.isConnected(), "both nodes notice Redis is gone");
        for (int i = 11; i <= 20; i++) {
            a.bus.publish("erin", text("te", i));
        }
        await(() -> a.bus.droppedCount() == 10, "the 10 events of the outage counted as dropped");

        redis.restart();
        await(() -> a.bus.isConnected() && b.bus.isConnected(), "both nodes reconnect");
        await(() -> redis.subscribers(RedisBus.userChannel("erin")) == 1, "erin subscribed again");
        for (int i = 21; i <= 30; i++) {
            a.bus.publish("erin", text("te", i));
        }
        assertEquals(expected("erin", "te", 1, 30), a.take(30));
        assertEquals(expected("erin", "te", 21, 30), b.take(10));
        assertEquals(10, a.bus.droppedCount());
    }

    @Test
    void firstSubscription_eventsPublishedWhileItIsUnderway_noneLostNoneRepeated() throws Exception {
        Node a = new Node();
        Node b = new Node();
        for (int round = 0; round < 5; round++) {
            String user = "gina" + round;
            b.bus.interest(user, true);
            // no wait for the SUBSCRIBE: what it misses comes from the stream
            for (int i = 1; i <= 10; i++) {
                a.bus.publish(user, text("tg", i));
            }
            assertEquals(expected(user, "tg", 1, 10), b.take(10), "round " + round);
            a.take(10);
        }
        assertTrue(b.delivered.isEmpty(), "nothing repeated: " + b.delivered);
    }

    @Test
    void redisRestarted_streamStartedRightAfterItIsBack_otherNodeGetsEveryEventOnce() throws Exception {
        Node a = new Node();
        Node b = new Node();
        b.bus.interest("hugo", true);
        await(() -> redis.subscribers(RedisBus.userChannel("hugo")) == 1, "hugo subscribed");
        for (int round = 0; round < 3; round++) {
            redis.kill();
            await(() -> !a.bus.isConnected() && !b.bus.isConnected(), "both nodes notice Redis is gone");
            redis.restart();
            await(() -> a.bus.isConnected(), "the publishing node is back");
            // at once, not waiting for b to subscribe again: the resubscription window
            String task = "th" + round;
            for (int i = 1; i <= 10; i++) {
                a.bus.publish("hugo", text(task, i));
            }
            assertEquals(expected("hugo", task, 1, 10), b.take(10), "round " + round + " dropped on a: " + a.bus.droppedCount());
            a.take(10);
        }
        await(() -> redis.subscribers(RedisBus.userChannel("hugo")) == 1, "hugo subscribed again");
        assertTrue(b.delivered.isEmpty(), "nothing repeated: " + b.delivered);
    }

    @Test
    void recentEvents_redisHung_waitsOnceThenSkipsReadsForTheCoolDown() throws Exception {
        Node a = new Node();
        a.bus.publish("fay", text("tf", 1));
        await(() -> a.bus.recentEvents("fay").size() == 1, "fay's event in the shared window");
        List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger(RedisBus.class.getName());
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                if (r.getMessage() != null && r.getMessage().startsWith("AIP-210")) {
                    warnings.add(r.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        jul.addHandler(capture);
        redis.freeze(true);
        try {
            // a socket attaching on the WebSocket container's thread: one short wait, then none
            assertEquals(List.of(), a.bus.recentEvents("fay"));
            assertEquals(List.of(), a.bus.recentEvents("fay"));
            assertEquals(List.of(), a.bus.recentEvents("gus"));
        } finally {
            redis.freeze(false);
            jul.removeHandler(capture);
        }
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("no answer within " + RedisBus.READ_TIMEOUT.toMillis() + " ms"), warnings.get(0));
    }

    @Test
    void close_everyBus_leavesNoLettuceThreads() throws Exception {
        Node a = new Node();
        Node b = new Node();
        b.bus.interest("frank", true);
        await(() -> redis.subscribers(RedisBus.userChannel("frank")) == 1, "frank subscribed");
        a.bus.publish("frank", text("tf", 1));
        assertEquals(List.of("frank:tf:1"), b.take(1));
        a.bus.close();
        b.bus.close();
        assertNoLettuceThreads();
    }

    static void assertNoLettuceThreads() throws InterruptedException {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("lettuce")) {
                t.join(5000);
            }
        }
        List<String> left = Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .map(Thread::getName).filter(n -> n.startsWith("lettuce")).toList();
        assertEquals(List.of(), left);
    }
}
