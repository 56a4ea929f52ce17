package dev.aiprogress.demo;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plugin's {@code extension-flow.mjs} (socket.io-client 4.8.1: log in, connect, chat, events
 * until {@code complete}) against a running demo, with the given client transports; checks that the
 * socket's deltas rebuild the reply. Node missing fails the test, never skips it.
 */
final class NodeFlow {

    private NodeFlow() {
    }

    /** Runs the flow as {@code demo}/{@code demo} and returns the reply's {@code message}. */
    static JsonObject run(URI base, String transports, String taskId, Path log) throws Exception {
        Path dir = Path.of(System.getProperty("aip.node.dir", "../plugin/src/test/node")).toAbsolutePath().normalize();
        if (!Files.isDirectory(dir.resolve("node_modules/socket.io-client"))) {
            throw new AssertionError("socket.io-client is not installed in " + dir + ": run `npm install` there");
        }
        Process node = new ProcessBuilder(List.of("node", "extension-flow.mjs", "--base-url", base.toString(),
                "--user", "demo", "--password", "demo", "--task-id", taskId, "--transports", transports))
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(node.waitFor(60, TimeUnit.SECONDS), "the node flow did not end:\n" + Files.readString(log));
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, node.exitValue(), out);
        JsonObject result = null;
        for (String line : out.split("\n")) {
            if (line.startsWith("{\"result\"")) {
                result = parse(line).getJsonObject("result");
            }
        }
        assertTrue(result != null, "no result line:\n" + out);
        JsonObject message = result.getJsonObject("reply").getJsonObject("body").getJsonObject("message");
        assertTrue(message.getBoolean("success"), message.toString());
        StringBuilder reasoning = new StringBuilder();
        StringBuilder text = new StringBuilder();
        List<String> types = new ArrayList<>();
        for (JsonObject e : result.getJsonArray("sockets").getJsonObject(0).getJsonArray("events").getValuesAs(JsonObject.class)) {
            assertEquals(taskId, e.getString("task_id"), e.toString());
            types.add(e.getString("type"));
            switch (e.getString("type")) {
                case "reasoning" -> reasoning.append(e.getString("text"));
                case "text" -> text.append(e.getString("text"));
                default -> { }
            }
        }
        assertFalse(text.isEmpty(), out);
        assertEquals(message.getString("reasoning"), reasoning.toString());
        assertEquals(message.getString("content"), text.toString());
        assertEquals(List.of("completion", "complete"), types.subList(types.size() - 2, types.size()), types.toString());
        return message;
    }

    static JsonObject parse(String json) {
        try (JsonReader r = Json.createReader(new StringReader(json))) {
            return r.readObject();
        }
    }
}
