package dev.aiprogress.web;

import dev.aiprogress.web.bootstrap.DaemonThreads;

import dev.aiprogress.realtime.Hub;
import dev.aiprogress.testsupport.EmbeddedJetty;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Soak: many scripted streams (pacing 0) on embedded Jetty with sockets attached, then heap,
 * threads and file descriptors compared with the baseline; and undeploy/redeploy cycles with a
 * chat in between. The default build runs a short version; {@code -Psoak} (plugin/pom.xml) runs
 * the long one. Figures are printed as {@code [measured]} lines; the assertions are counts and
 * leak bounds, never durations.
 */
class SoakWebTest {

    static final int STREAMS = Integer.getInteger("ai-progress.soak.streams", 300);
    static final int CYCLES = Integer.getInteger("ai-progress.soak.cycles", 3);
    /** Descriptors the JVM may open for its own reasons (class loading, JIT, GC logs) during a run. */
    static final int FD_SLACK = 64;

    static long openFds() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    static int liveThreads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    static String figures(String when, long heap, int threads, long fds) {
        return when + " heap " + heap / (1024 * 1024) + " MiB, threads " + threads + ", fds " + fds;
    }

    @Test
    void soak_manyStreamsWithSocketsAttached_everyReplyCompleteAndNothingLeaks() throws Exception {
        List<String> users = List.of("alice", "bob", "carol", "dave", "erin", "mallory");
        try (EmbeddedJetty jetty = EmbeddedJetty.builder().users(E2e.USERS)
                .initParam("ai-progress.provider.scripted.pacing", "0").start();
             HostileInput.CapturedLogs logs = new HostileInput.CapturedLogs()) {
            Hub hub = (Hub) jetty.context().getServletContext().getAttribute(Hub.class.getName());
            List<HttpClient> clients = new ArrayList<>();
            List<JdkSocket> sockets = new ArrayList<>();
            for (String u : users) {
                HttpClient c = jetty.newClient();
                assertEquals(200, jetty.login(c, u, E2e.USERS.get(u)).statusCode());
                clients.add(c);
                String cookie = E2e.sessionCookie(jetty, c);
                JdkSocket sio = JdkSocket.socketIo(jetty.baseUri().getPort(), Map.of("Cookie", cookie), "40");
                assertTrue(sio.next().startsWith("40{"));
                sockets.add(sio.countOnly());
                sockets.add(JdkSocket.open(jetty.baseUri().getPort(), "/ai-progress/ws", Map.of("Cookie", cookie)).countOnly());
            }
            // warm-up, then the baseline
            HostileInput.assertServesANormalChat(jetty, clients.get(0));
            long heap0 = usedHeapAfterGc();
            int threads0 = liveThreads();
            long fds0 = openFds();

            ExecutorService pool = Executors.newFixedThreadPool(users.size());
            AtomicInteger completed = new AtomicInteger();
            long t0 = System.nanoTime();
            try {
                List<Future<?>> work = new ArrayList<>();
                for (int w = 0; w < users.size(); w++) {
                    HttpClient c = clients.get(w);
                    int share = STREAMS / users.size() + (w < STREAMS % users.size() ? 1 : 0);
                    work.add(pool.submit(() -> {
                        for (int i = 0; i < share; i++) {
                            HttpResponse<String> r = jetty.postJson(c, ChatWeb.CHAT, ChatWeb.userMessage("soak " + i, ""));
                            assertEquals(200, r.statusCode(), r.body());
                            assertTrue(ChatWeb.json(r.body().strip()).getJsonObject("message").getBoolean("success"));
                            completed.incrementAndGet();
                        }
                        return null;
                    }));
                }
                for (Future<?> f : work) {
                    f.get(10, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(STREAMS, completed.get());
            // every socket is still attached (none closed as a slow consumer)
            assertEquals(users.size() * 2, hub.socketCount());
            assertEquals(0, hub.counters().overflowCloseCount());
            long received = sockets.stream().mapToLong(JdkSocket::counted).sum();
            sockets.forEach(JdkSocket::close);
            ChatCancelWebTest.await("the sockets to leave", () -> hub.socketCount() == 0);

            long heap1 = usedHeapAfterGc();
            int threads1 = liveThreads();
            long fds1 = openFds();
            System.out.println("[measured] soak: " + STREAMS + " streams, " + users.size() * 2 + " sockets, in " + ms + " ms; "
                    + figures("before", heap0, threads0, fds0) + "; " + figures("after", heap1, threads1, fds1)
                    + "; published " + hub.counters().publishedCount() + ", delivered " + hub.counters().deliveredCount()
                    + ", frames received by the clients " + received);
            assertTrue(HostileInput.pluginThreads().size() <= HostileInput.maxPluginThreads(), HostileInput.pluginThreads().toString());
            assertTrue(fds1 <= fds0 + FD_SLACK, "fds " + fds0 + " -> " + fds1);
            assertEquals(List.of(), logs.errors());
        }
    }

    @Test
    void redeploy_cyclesWithAChatBetween_leaveNoPluginThreadAndNoGrowth() throws Exception {
        try (EmbeddedJetty jetty = EmbeddedJetty.builder().initParam("ai-progress.provider.scripted.pacing", "0").start()) {
            HttpClient client = jetty.newClient();
            assertEquals(200, jetty.login(client, "demo", "demo").statusCode());
            HostileInput.assertServesANormalChat(jetty, client);
            jetty.undeploy();
            awaitNoPluginThread();
            long heap0 = usedHeapAfterGc();
            int threads0 = liveThreads();
            long fds0 = openFds();
            java.util.Set<String> names0 = threadNames();
            for (int cycle = 0; cycle < CYCLES; cycle++) {
                jetty.context().start();
                HttpClient c = client;
                assertEquals(200, jetty.login(c, "demo", "demo").statusCode());
                HostileInput.assertServesANormalChat(jetty, c);
                try (JdkSocket s = JdkSocket.socketIo(jetty.baseUri().getPort(), Map.of("Cookie", E2e.sessionCookie(jetty, c)), "40")) {
                    assertTrue(s.next().startsWith("40{"));
                }
                jetty.undeploy();
                awaitNoPluginThread();
            }
            long heap1 = usedHeapAfterGc();
            int threads1 = liveThreads();
            long fds1 = openFds();
            System.out.println("[measured] redeploy: " + CYCLES + " cycles; " + figures("before", heap0, threads0, fds0)
                    + "; " + figures("after", heap1, threads1, fds1) + "; threads by name now " + newNames(names0));
            assertEquals(List.of(), HostileInput.pluginThreads());
            assertTrue(fds1 <= fds0 + FD_SLACK, "fds " + fds0 + " -> " + fds1);
        }
    }

    static java.util.Set<String> threadNames() {
        java.util.Set<String> names = new java.util.TreeSet<>();
        Thread.getAllStackTraces().keySet().forEach(t -> names.add(t.getName().replaceAll("[0-9]+", "#")));
        return names;
    }

    static java.util.Map<String, Long> newNames(java.util.Set<String> before) {
        java.util.Map<String, Long> grown = new java.util.TreeMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String name = t.getName().replaceAll("[0-9]+", "#");
            grown.merge(name, 1L, Long::sum);
        }
        return grown;
    }

    static void awaitNoPluginThread() throws InterruptedException {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(DaemonThreads.PREFIX)) {
                t.join(10_000);
            }
        }
        assertEquals(List.of(), HostileInput.pluginThreads());
    }
}
