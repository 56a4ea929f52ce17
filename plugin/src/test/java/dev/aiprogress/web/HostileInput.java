package dev.aiprogress.web;

import dev.aiprogress.web.bootstrap.DaemonThreads;

import dev.aiprogress.testsupport.EmbeddedJetty;
import jakarta.json.JsonObject;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checks shared by the hostile-input tests: what a clear answer is, and what "nothing leaked" means. */
final class HostileInput {

    private HostileInput() {
    }

    /** The most {@code ai-progress-*} threads a runtime may own: its one timer and its HTTP callback pool. */
    static int maxPluginThreads() {
        return 1 + Math.max(2, Runtime.getRuntime().availableProcessors());
    }

    static List<String> pluginThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(DaemonThreads.PREFIX) && t.isAlive()).map(Thread::getName).toList();
    }

    /** No stack trace, class name or container internals in a body a client receives. */
    static void assertNoInternals(String body) {
        for (String tell : List.of("\tat ", "java.lang.", "java.io.", "jakarta.", "org.eclipse", "dev.aiprogress.",
                "Exception:", "NullPointer", "StackOverflow")) {
            assertFalse(body.contains(tell), () -> "'" + tell + "' in a reply: " + body);
        }
    }

    /**
     * A chat reply is a clear refusal (4xx with the Frappe body) or a valid result (200 with a JSON
     * {@code message} or an SSE stream); never a 5xx.
     */
    static void assertClearChatAnswer(int status, String body) {
        assertNotEquals(500, status, body);
        assertTrue(status == 200 || (status >= 400 && status < 500), () -> status + " " + body);
        assertNoInternals(body);
        if (status == 200) {
            String trimmed = body.strip();
            if (trimmed.startsWith("{")) {
                JsonObject message = ChatWeb.json(trimmed).getJsonObject("message");
                assertTrue(message.containsKey("task_id"), body);
            } else {
                assertTrue(body.contains("event: reply\n"), body);
            }
            return;
        }
        if (status == 400 && (body.contains("Invalid cookie") || body.isEmpty())) {
            // Jetty refuses a malformed Cookie header itself (BadMessageException while parsing
            // cookies), with its own error page ("Invalid cookie", or empty when the Accept header
            // names no type it writes), before the plugin can answer: clear, and no 5xx
            return;
        }
        JsonObject frappe = ChatWeb.json(body);
        assertEquals(List.of("exc_type", "exception", "message"), List.copyOf(frappe.keySet()), body);
        assertFalse(frappe.getString("message").isBlank(), body);
    }

    /** A normal chat still works: 200 with the scripted answer. */
    static void assertServesANormalChat(EmbeddedJetty jetty, java.net.http.HttpClient loggedIn) throws Exception {
        var r = jetty.postJson(loggedIn, ChatWeb.CHAT, ChatWeb.userMessage("still there?", ""));
        assertEquals(200, r.statusCode(), r.body());
        JsonObject message = ChatWeb.json(r.body().strip()).getJsonObject("message");
        assertTrue(message.getBoolean("success"), r.body());
        assertFalse(message.getString("content").isEmpty(), r.body());
    }

    /** Every JUL record, from every logger (installed on the root logger). */
    static final class CapturedLogs extends Handler implements AutoCloseable {
        private final List<LogRecord> records = Collections.synchronizedList(new ArrayList<>());
        private final Level oldLevel;

        CapturedLogs() {
            Logger root = Logger.getLogger("");
            oldLevel = root.getLevel();
            setLevel(Level.ALL);
            root.addHandler(this);
        }

        /** Lowers the root level so DEBUG/TRACE records reach this handler too. */
        CapturedLogs everything() {
            Logger.getLogger("").setLevel(Level.ALL);
            Logger.getLogger("dev.aiprogress").setLevel(Level.ALL);
            return this;
        }

        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        List<LogRecord> records() {
            synchronized (records) {
                return List.copyOf(records);
            }
        }

        /** Records at {@code SEVERE} (System.Logger ERROR), with their message, for an assertion. */
        List<String> errors() {
            return records().stream().filter(r -> r.getLevel().intValue() >= Level.SEVERE.intValue())
                    .map(r -> r.getLoggerName() + ": " + r.getMessage() + (r.getThrown() == null ? "" : " " + r.getThrown()))
                    .toList();
        }

        /** Every record as a client of the logs would see it: formatted message, parameters and thrown chain. */
        List<String> texts() {
            java.util.logging.SimpleFormatter f = new java.util.logging.SimpleFormatter();
            List<String> out = new ArrayList<>();
            for (LogRecord r : records()) {
                StringBuilder sb = new StringBuilder(f.format(r));
                if (r.getParameters() != null) {
                    for (Object p : r.getParameters()) {
                        sb.append(' ').append(p);
                    }
                }
                out.add(sb.toString());
            }
            return out;
        }

        void clear() {
            records.clear();
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            Logger.getLogger("").removeHandler(this);
            Logger.getLogger("").setLevel(oldLevel);
            Logger.getLogger("dev.aiprogress").setLevel(null);
        }
    }
}
