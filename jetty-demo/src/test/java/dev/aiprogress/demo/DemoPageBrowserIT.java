package dev.aiprogress.demo;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The demo page in headless Chromium, against the shaded jar started as its own process: sign in,
 * ask, reasoning before the answer, the timer moving, the answer completing as Markdown with usage,
 * and Stop mid-stream. Assertions are on the DOM: a MutationObserver in the page records every
 * distinct state of the latest turn, and the test checks the order of those states — never how long
 * anything took. Waits are DOM conditions with a generous bound that only a hang reaches.
 *
 * <p>Run with {@code mvn -B verify -Pbrowser}. Without Chromium it fails, saying what to install.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoPageBrowserIT {

    private static final long WAIT_SECONDS = 90;
    /** "Thinking" timer values as the page shows them while reasoning: "0s", "1s", ... */
    private static final Pattern TIMER = Pattern.compile("\\d+s");
    private static final Pattern THOUGHT_FOR = Pattern.compile("Thought for \\d+ seconds?");

    /**
     * Records a snapshot of the latest turn on every DOM change, keeping only distinct ones, in
     * {@code window.__snaps}. Installed after each page load, before the question is sent.
     */
    private static final String RECORDER = """
            window.__snaps = [];
            var last = null;
            function q(t, sel) { var e = t.querySelector(sel); return e ? e : null; }
            function snap() {
              var turns = document.querySelectorAll('#conversation .turn');
              var t = turns[turns.length - 1];
              if (!t) return;
              var s = {
                turns: turns.length,
                reasoning: q(t, '.reasoning-text').textContent.length,
                reasoningShown: !q(t, '.reasoning').hidden,
                reasoningOpen: q(t, '.reasoning').open,
                answer: q(t, '.answer').textContent.length,
                label: q(t, '.reasoning-label').textContent,
                timer: q(t, '.timer').textContent,
                state: q(t, '.state').textContent,
                stateClass: q(t, '.state').className,
                usage: q(t, '.usage').textContent
              };
              var key = JSON.stringify(s);
              if (key !== last) { last = key; window.__snaps.push(s); }
            }
            new MutationObserver(snap).observe(document.getElementById('conversation'),
                { childList: true, subtree: true, characterData: true, attributes: true });
            return true;
            """;

    private static final String LAST_TURN = "var ts = document.querySelectorAll('#conversation .turn'); var t = ts[ts.length - 1];";

    private static DemoProcess demo;
    private static ChromeDriver browser;
    private static Path shots;
    private static Path work;

    @BeforeAll
    static void start() throws Exception {
        Path target = Path.of(System.getProperty("demo.jar", "target/ai-progress-demo.jar")).toAbsolutePath().getParent();
        shots = Path.of(System.getProperty("demo.screenshots", target.resolve("browser-screenshots").toString()));
        Files.createDirectories(shots);
        work = Files.createTempDirectory("ai-progress-browser-it");
        // Small but non-zero pacing: reasoning streams in hundreds of visible steps, the timer gets
        // to tick, and Stop has something to stop.
        Path config = Files.writeString(work.resolve("demo.properties"),
                "ai-progress.provider.scripted.pacing=15ms\n", StandardCharsets.UTF_8);
        browser = ChromeDriver.start(Path.of(System.getProperty("webdriver.chrome.driver", "/usr/bin/chromedriver")),
                Path.of(System.getProperty("chromium.binary", "/usr/bin/chromium")),
                work.resolve("chromium-profile"), target.resolve("chromedriver.log"), 1280, 1000);
        demo = DemoProcess.start(Path.of(System.getProperty("demo.jar", "target/ai-progress-demo.jar")), config,
                target.resolve("browser-demo.log"));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            if (demo != null) {
                demo.close();
            }
            deleteTree(work);
        }
    }

    /** The config file and Chromium's throw-away profile. */
    private static void deleteTree(Path root) throws Exception {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    // ---- the tests, in the order a person meets the page

    @Test
    @Order(1)
    void signIn_wrongThenRightPassword_showsErrorThenChat() throws Exception {
        browser.open(demo.uri());
        awaitTrue("the sign-in form", "return !document.getElementById('login-view').hidden;");
        browser.screenshot(shots.resolve("0-sign-in.png"));

        String password = browser.find("#pwd");
        browser.clear(password);
        browser.type(password, "wrong");
        browser.click(browser.find("#login-button"));
        awaitTrue("the sign-in error", "return !document.getElementById('login-error').hidden;");
        assertFalse(browser.scriptString("return document.getElementById('login-error').textContent;").isBlank());
        assertTrue(browser.scriptTrue("return document.getElementById('chat-view').hidden;"), "still signed out");

        browser.clear(password);
        browser.type(password, "demo");
        browser.click(browser.find("#login-button"));
        awaitChatReady();
        assertEquals("signed in as demo", browser.scriptString("return document.querySelector('#who .who-name').textContent;"));
        assertTrue(browser.scriptTrue("return document.getElementById('login-error').hidden;"), "the error went away");
        browser.screenshot(shots.resolve("1-signed-in.png"));
        assertNoPageErrors();
    }

    @Test
    @Order(2)
    void ask_slowReasoner_reasoningFirstTimerMovesThenMarkdownAnswerWithUsage() throws Exception {
        openSignedIn();
        pickModel("scripted-slow");
        ask("Explain **streaming** of reasoning in three points");

        awaitTrue("reasoning text", LAST_TURN + "return t.querySelector('.reasoning-text').textContent.length > 400;");
        browser.screenshot(shots.resolve("2-reasoning.png"));
        awaitTrue("answer text", LAST_TURN + "return t.querySelector('.answer').textContent.length > 80;");
        browser.screenshot(shots.resolve("3-answering.png"));
        awaitFinished();
        browser.screenshot(shots.resolve("4-done.png"));

        List<JsonObject> snaps = snapshots();
        int firstReasoning = indexOf(snaps, s -> s.getInt("reasoning") > 0);
        int firstAnswer = indexOf(snaps, s -> s.getInt("answer") > 0);
        assertTrue(firstReasoning >= 0, "reasoning never appeared: " + snaps);
        assertTrue(firstAnswer > firstReasoning, "reasoning must come before the answer: " + snaps);
        assertTrue(snaps.stream().anyMatch(s -> s.getInt("reasoning") > 0 && s.getInt("answer") == 0 && s.getBoolean("reasoningOpen")),
                "a state with reasoning shown and no answer yet: " + snaps);

        // the live timer showed at least two different values while reasoning...
        Set<String> timerValues = new LinkedHashSet<>();
        for (JsonObject s : snaps.subList(0, firstAnswer)) {
            if (TIMER.matcher(s.getString("timer")).matches() && s.getString("label").equals("Thinking")) {
                timerValues.add(s.getString("timer"));
            }
        }
        assertTrue(timerValues.size() >= 2, "the Thinking timer must move, saw " + timerValues);
        // ...and turned into "Thought for N seconds", collapsed, once the answer began
        JsonObject atAnswer = snaps.get(firstAnswer);
        assertTrue(THOUGHT_FOR.matcher(atAnswer.getString("label")).matches(), "label when answering: " + atAnswer);
        assertFalse(atAnswer.getBoolean("reasoningOpen"), "reasoning collapses when the answer starts: " + atAnswer);

        // the finished turn: done, usage, rendered Markdown, reasoning kept
        JsonObject end = snaps.get(snaps.size() - 1);
        assertEquals("state ok", end.getString("stateClass"), end.toString());
        assertTrue(end.getString("state").startsWith("done in "), end.toString());
        assertTrue(end.getString("state").endsWith("scripted / scripted-slow"), end.toString());
        assertTrue(Pattern.compile("\\d+ in · \\d+ out \\(\\d+ reasoning\\) · \\d+ total").matcher(end.getString("usage")).matches(),
                end.toString());
        assertEquals(3L, count(".answer ol > li"), "the numbered list");
        assertEquals(1L, count(".answer pre > code.lang-java"), "the fenced code block");
        assertTrue(count(".answer strong") >= 1, "bold text");
        assertEquals(0L, count(".answer .cursor"), "no streaming cursor once done");
        assertTrue(browser.scriptString(LAST_TURN + "return t.querySelector('.reasoning-text').textContent;").contains("Step 40:"),
                "the whole reasoning stays available");
        assertTrue(browser.scriptTrue("return !document.getElementById('send-button').disabled"
                + " && document.getElementById('stop-button').disabled;"), "ready for the next question");
        assertNoPageErrors();
    }

    @Test
    @Order(3)
    void stop_midStream_turnShowsCancelled() throws Exception {
        openSignedIn();
        pickModel("scripted-slow");
        ask("Think about this for a long time, please");
        awaitTrue("reasoning text and an enabled Stop", LAST_TURN
                + "return t.querySelector('.reasoning-text').textContent.length > 100"
                + " && !document.getElementById('stop-button').disabled;");
        browser.click(browser.find("#stop-button"));
        awaitFinished();
        browser.screenshot(shots.resolve("5-cancelled.png"));

        JsonObject end = lastSnapshot();
        assertEquals("state failed", end.getString("stateClass"), end.toString());
        assertTrue(end.getString("state").contains("AIP-017") || end.getString("state").contains("cancelled"), end.toString());
        assertEquals(0, end.getInt("answer"), "stopped while reasoning: no answer text");
        assertTrue(THOUGHT_FOR.matcher(end.getString("label")).matches(), "the timer stops: " + end);
        assertEquals("", end.getString("usage"));
        assertTrue(browser.scriptTrue("return !document.getElementById('send-button').disabled"
                + " && document.getElementById('stop-button').disabled;"), "ready for the next question");
        assertNoPageErrors();
    }

    @Test
    @Order(4)
    void expandReasoning_whileAnswerStreams_showsBoth() throws Exception {
        openSignedIn();
        pickModel("scripted-reasoner");
        ask("How does ai-progress stream reasoning to the page?");
        awaitTrue("the answer starting", LAST_TURN + "return t.querySelector('.answer').textContent.length > 0;");
        browser.click(browser.find("#conversation .turn:last-child .reasoning summary"));
        awaitTrue("the reasoning expanded", LAST_TURN + "return t.querySelector('.reasoning').open;");
        awaitTrue("more of the answer", LAST_TURN + "return t.querySelector('.answer').textContent.length > 150;");
        // the picture for the README: a streaming answer under its (expanded) reasoning
        browser.screenshot(shots.resolve("6-streaming-with-reasoning.png"));
        awaitFinished();
        assertTrue(browser.scriptTrue(LAST_TURN + "return t.querySelector('.reasoning').open;"), "stays as the user left it");
        assertEquals("state ok", lastSnapshot().getString("stateClass"));

        // the developer's view: every ai_progress frame of the turn, in the expandable log
        browser.click(browser.find("details.log summary"));
        awaitTrue("the event log open", "return document.querySelector('details.log').open;");
        String log = browser.scriptString("return document.getElementById('event-log').textContent;");
        for (String type : List.of("thinking", "reasoning", "text", "completion", "complete")) {
            assertTrue(log.contains("\"type\":\"" + type + "\""), "a " + type + " event in the log");
        }
        assertTrue(log.indexOf("\"type\":\"reasoning\"") < log.indexOf("\"type\":\"text\""), "logged in arrival order");
        browser.screenshot(shots.resolve("7-event-log.png"));
        assertNoPageErrors();
    }

    @Test
    @Order(5)
    void ask_toolModel_showsTheToolCallAsACard() throws Exception {
        openSignedIn();
        pickModel("scripted-tools");
        ask("What is the weather in Lisbon?");
        awaitFinished();
        browser.screenshot(shots.resolve("8-tool-card.png"));
        assertEquals(1L, count(".tools .tool-card"), "one tool card");
        assertEquals("tool call: lookup", browser.scriptString(LAST_TURN + "return t.querySelector('.tool-card .name').textContent;"));
        assertTrue(browser.scriptString(LAST_TURN + "return t.querySelector('.tool-card pre').textContent;")
                .contains("\"query\": \"What is the weather in Lisbon?\""), "pretty-printed arguments");
        assertEquals("state ok", lastSnapshot().getString("stateClass"));
        assertNoPageErrors();
    }

    @Test
    @Order(6)
    void ask_failingModel_keepsThePartialAnswerAndShowsTheError() throws Exception {
        openSignedIn();
        pickModel("scripted-fail");
        ask("Fail halfway, please");
        awaitFinished();
        browser.screenshot(shots.resolve("9-upstream-error.png"));
        JsonObject end = lastSnapshot();
        assertEquals("state failed", end.getString("stateClass"), end.toString());
        assertTrue(end.getString("state").startsWith("AIP-016: "), end.toString());
        assertTrue(end.getInt("answer") > 0, "the half answer stays readable: " + end);
        assertNoPageErrors();
    }

    // ---- steps

    private static void openSignedIn() throws Exception {
        browser.open(demo.uri());
        awaitTrue("the page to decide", "return !document.getElementById('login-view').hidden"
                + " || !document.getElementById('chat-view').hidden;");
        if (browser.scriptTrue("return !document.getElementById('login-view').hidden;")) {
            // the form comes filled with demo / demo
            browser.click(browser.find("#login-button"));
        }
        awaitChatReady();
        browser.script(RECORDER);
    }

    /** Signed in, the socket is live (events will reach the page), the pickers are filled. */
    private static void awaitChatReady() throws Exception {
        awaitTrue("the chat view with a live socket and providers", "return !document.getElementById('chat-view').hidden"
                + " && document.getElementById('socket-status').textContent === 'live'"
                + " && document.getElementById('model').options.length > 0;");
    }

    private static void pickModel(String model) throws Exception {
        browser.click(browser.find("#model option[value='" + model + "']"));
        assertEquals(model, browser.scriptString("return document.getElementById('model').value;"));
    }

    private static void ask(String question) throws Exception {
        String box = browser.find("#message");
        browser.clear(box);
        browser.type(box, question);
        browser.click(browser.find("#send-button"));
    }

    private static void awaitFinished() throws Exception {
        awaitTrue("the turn to finish", LAST_TURN + "return !!t && /\\b(ok|failed)\\b/.test(t.querySelector('.state').className);");
    }

    private static void awaitTrue(String what, String script) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (System.nanoTime() < deadline) {
            if (browser.scriptTrue(script)) {
                return;
            }
            Thread.sleep(50);
        }
        Path shot = shots.resolve("timeout-" + System.nanoTime() + ".png");
        browser.screenshot(shot);
        fail("waited " + WAIT_SECONDS + " s for " + what + "; screenshot " + shot + "; page errors " + browser.browserErrors()
                + "; demo output:\n" + demo.output());
    }

    private static List<JsonObject> snapshots() throws Exception {
        JsonArray all = browser.script("return window.__snaps;").asJsonArray();
        return all.stream().map(JsonValue::asJsonObject).toList();
    }

    private static JsonObject lastSnapshot() throws Exception {
        List<JsonObject> snaps = snapshots();
        assertFalse(snaps.isEmpty(), "no snapshots recorded");
        return snaps.get(snaps.size() - 1);
    }

    private static long count(String css) throws Exception {
        return ((JsonNumber) browser.script(LAST_TURN + "return t.querySelectorAll('" + css + "').length;")).longValue();
    }

    private static int indexOf(List<JsonObject> snaps, Predicate<JsonObject> test) {
        for (int i = 0; i < snaps.size(); i++) {
            if (test.test(snaps.get(i))) {
                return i;
            }
        }
        return -1;
    }

    /**
     * No script errors and no failed loads, except the 401s that signing in involves (the page asks
     * who is signed in before anyone is, and the wrong password is refused).
     */
    private static void assertNoPageErrors() throws Exception {
        List<String> errors = browser.browserErrors().stream()
                .filter(e -> !(e.contains("Failed to load resource") && e.contains("status of 401")))
                .toList();
        assertTrue(errors.isEmpty(), "errors in the page's console: " + errors);
    }
}
