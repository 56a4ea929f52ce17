package dev.aiprogress.web;

import dev.aiprogress.realtime.Hub;
import dev.aiprogress.testsupport.EmbeddedJetty;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many users × many sockets under concurrent chats: 10 users, each with two Socket.IO sockets and
 * one plain socket, each running chats at the same time as the others. Every frame every socket
 * receives is checked for its owner (the task id names the user): zero cross-delivery, and each
 * socket sees every one of its user's tasks through to {@code complete}.
 */
class CrossDeliveryWebTest {

    static final int USERS = 10;
    static final int CHATS_PER_USER = 5;

    @Test
    void tenUsersTimesThreeSockets_concurrentChats_everyFrameReachesOnlyItsOwner() throws Exception {
        Map<String, String> users = new LinkedHashMap<>();
        for (int u = 0; u < USERS; u++) {
            users.put("user" + u, "pw-" + u);
        }
        try (EmbeddedJetty jetty = EmbeddedJetty.builder().users(users)
                .initParam("ai-progress.provider.scripted.pacing", "0").start();
             HostileInput.CapturedLogs logs = new HostileInput.CapturedLogs()) {
            int port = jetty.baseUri().getPort();
            Map<String, HttpClient> clients = new LinkedHashMap<>();
            Map<String, List<JdkSocket>> sockets = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : users.entrySet()) {
                HttpClient c = jetty.newClient();
                assertEquals(200, jetty.login(c, e.getKey(), e.getValue()).statusCode());
                clients.put(e.getKey(), c);
                String cookie = E2e.sessionCookie(jetty, c);
                List<JdkSocket> own = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    JdkSocket s = JdkSocket.socketIo(port, Map.of("Cookie", cookie), "40");
                    assertTrue(s.next().startsWith("40{"));
                    own.add(s);
                }
                own.add(JdkSocket.open(port, "/ai-progress/ws", Map.of("Cookie", cookie)));
                sockets.put(e.getKey(), own);
            }
            Hub hub = (Hub) jetty.context().getServletContext().getAttribute(Hub.class.getName());
            ChatCancelWebTest.await("every socket attached", () -> hub.socketCount() == USERS * 3);

            ExecutorService pool = Executors.newFixedThreadPool(USERS);
            try {
                List<Future<?>> work = new ArrayList<>();
                for (String user : users.keySet()) {
                    work.add(pool.submit(() -> {
                        for (int n = 0; n < CHATS_PER_USER; n++) {
                            HttpResponse<String> r = jetty.postJson(clients.get(user), ChatWeb.CHAT,
                                    ChatWeb.userMessage("from " + user, "\"task_id\":\"" + user + "-" + n + "\""));
                            assertEquals(200, r.statusCode(), r.body());
                        }
                        return null;
                    }));
                }
                for (Future<?> f : work) {
                    f.get(2, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
            }
            long frames = 0;
            for (Map.Entry<String, List<JdkSocket>> e : sockets.entrySet()) {
                for (JdkSocket s : e.getValue()) {
                    frames += assertOnlyOwnTasksUntilAllComplete(s, e.getKey());
                    s.close();
                }
            }
            System.out.println("[measured] cross-delivery: " + USERS + " users x 3 sockets, " + USERS * CHATS_PER_USER
                    + " chats, " + frames + " event frames checked, 0 delivered to another user");
            ChatCancelWebTest.await("every socket detached", () -> hub.socketCount() == 0);
            assertEquals(List.of(), logs.errors());
        }
    }

    /** Reads until every task of {@code user} completed; every event must be one of {@code user}'s. Returns the events read. */
    static long assertOnlyOwnTasksUntilAllComplete(JdkSocket s, String user) throws InterruptedException {
        Set<String> completed = new HashSet<>();
        long events = 0;
        while (completed.size() < CHATS_PER_USER) {
            String f = s.next();
            JsonObject event;
            if (f.startsWith("42[\"ai_progress\",")) {
                event = ChatWeb.json(f.substring("42[\"ai_progress\",".length(), f.length() - 1));
            } else if (f.startsWith("{\"event\":\"ai_progress\"")) {
                event = ChatWeb.json(f).getJsonObject("data");
            } else {
                continue;
            }
            events++;
            String taskId = event.getString("task_id");
            assertTrue(taskId.startsWith(user + "-"), () -> user + "'s socket got " + f);
            if (event.getString("type").equals("complete")) {
                completed.add(taskId);
            }
        }
        return events;
    }
}
