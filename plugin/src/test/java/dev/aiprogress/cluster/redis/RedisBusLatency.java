package dev.aiprogress.cluster.redis;

import dev.aiprogress.cluster.ClusterBus;
import dev.aiprogress.event.EventType;
import dev.aiprogress.event.ProgressEvent;
import dev.aiprogress.testsupport.Await;
import dev.aiprogress.testsupport.RedisServer;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Not a test: prints what the Redis bus adds per event across nodes, on this machine.
 * Two buses ("nodes") in one JVM (one clock) over a local {@code redis-server}:
 * <ul>
 *   <li>latency: one event at a time, publish on A → delivered on B, p50/p99/p99.9 in µs; this is
 *       the whole cross-node hop (encode, PUBLISH, Redis, decode), since the local path is a direct call;</li>
 *   <li>throughput: a flood of events on A, events/s delivered on B.</li>
 * </ul>
 * Both with the shared replay window on (XADD + PEXPIRE per event, as deployed) and off.
 * Run: {@code mvn -q -pl plugin test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.aiprogress.cluster.redis.RedisBusLatency} (needs {@code redis-server} on PATH).
 */
public final class RedisBusLatency {

    private static final String TS = "2026-11-24T10:15:30.123Z";
    private static final String TEXT = "A typical streamed piece of an answer, ~60 chars of text ünï.";

    public static void main(String[] args) throws Exception {
        int latencyEvents = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int floodEvents = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        try (RedisServer redis = RedisServer.start()) {
            for (int replay : new int[] {500, 0}) {
                run(redis, replay, latencyEvents, floodEvents);
            }
        }
    }

    private static void run(RedisServer redis, int replayMaxEvents, int latencyEvents, int floodEvents)
            throws Exception {
        AtomicReference<CountDownLatch> arrived = new AtomicReference<>(new CountDownLatch(1));
        AtomicLong receivedAt = new AtomicLong();
        AtomicLong received = new AtomicLong();
        RedisBus a = RedisBus.connect(URI.create(redis.uri()), Duration.ofSeconds(10), replayMaxEvents,
                (u, e) -> { }, ClusterBus.CancelHandler.NONE);
        RedisBus b = RedisBus.connect(URI.create(redis.uri()), Duration.ofSeconds(10), replayMaxEvents, (u, e) -> {
            receivedAt.set(System.nanoTime());
            received.incrementAndGet();
            arrived.get().countDown();
        }, ClusterBus.CancelHandler.NONE);
        try {
            b.interest("bench-user", true);
            while (redis.subscribers(RedisBus.userChannel("bench-user")) < 1) {
                Thread.sleep(5);
            }
            // latency: warm up, then measure one event in flight at a time
            long[] micros = new long[latencyEvents];
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < latencyEvents; i++) {
                    CountDownLatch latch = new CountDownLatch(1);
                    arrived.set(latch);
                    long start = System.nanoTime();
                    a.publish("bench-user", ProgressEvent.delta(EventType.TEXT, "t", i + 1, TS, TEXT));
                    if (!latch.await(5, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("event " + i + " never arrived");
                    }
                    micros[i] = (receivedAt.get() - start) / 1_000;
                }
            }
            Arrays.sort(micros);
            // throughput: flood, count deliveries on B
            arrived.set(new CountDownLatch(0));
            long before = received.get();
            long start = System.nanoTime();
            for (int i = 0; i < floodEvents; i++) {
                // at most 2,000 events in flight: the connection's bounded queue would refuse a bigger burst
                while (i - (received.get() - before) > 2_000) {
                    Thread.onSpinWait();
                }
                a.publish("bench-user", ProgressEvent.delta(EventType.TEXT, "f", i + 1, TS, TEXT));
            }
            Await.within(Duration.ofSeconds(30), Duration.ofMillis(1),
                    () -> received.get() - before >= floodEvents - a.droppedCount());
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "replay window %-8s cross-node added latency per event: p50 %d µs, p99 %d µs,"
                            + " p99.9 %d µs (n=%d); throughput %.0f events/s (%d events in %.2f s, %d dropped)%n",
                    replayMaxEvents > 0 ? "on" : "off", micros[latencyEvents / 2], micros[latencyEvents * 99 / 100],
                    micros[latencyEvents * 999 / 1000], latencyEvents, (received.get() - before) / seconds, floodEvents, seconds, a.droppedCount());
        } finally {
            a.close();
            b.close();
        }
    }
}
