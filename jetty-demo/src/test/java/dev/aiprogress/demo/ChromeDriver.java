package dev.aiprogress.demo;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.io.StringReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A small W3C WebDriver client over the JDK's HttpClient, driving Debian's {@code chromium} through
 * its {@code chromedriver}: only the commands the browser test needs. Chosen over Selenium so the
 * test downloads nothing and cannot disagree with the installed Chromium about versions; the
 * driver binary is always the given path, never fetched.
 */
final class ChromeDriver implements AutoCloseable {

    /** The W3C key under which an element reference travels. */
    private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    private final Process driver;
    private final URI base;
    private final HttpClient http;
    private final String session;

    private ChromeDriver(Process driver, URI base, HttpClient http, String session) {
        this.driver = driver;
        this.base = base;
        this.http = http;
        this.session = session;
    }

    /**
     * Starts chromedriver and a headless Chromium session.
     *
     * @throws IllegalStateException with what to install, when a binary is missing
     */
    static ChromeDriver start(Path chromedriver, Path chromium, Path userDataDir, Path driverLog, int width, int height)
            throws Exception {
        requireExecutable(chromedriver, "chromedriver");
        requireExecutable(chromium, "chromium");
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Process process = new ProcessBuilder(chromedriver.toString(), "--port=" + port)
                .redirectErrorStream(true).redirectOutput(driverLog.toFile()).start();
        URI base = URI.create("http://127.0.0.1:" + port + "/");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        try {
            awaitReady(process, http, base, driverLog);
            JsonArrayBuilder args = Json.createArrayBuilder();
            // headless, no sandbox, no GPU, no background networking (how CI runs Chromium); a fresh profile per run; small /dev/shm in containers
            for (String flag : List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-dev-shm-usage", "--user-data-dir=" + userDataDir, "--window-size=" + width + "," + height)) {
                args.add(flag);
            }
            JsonObject capabilities = Json.createObjectBuilder()
                    .add("capabilities", Json.createObjectBuilder().add("alwaysMatch", Json.createObjectBuilder()
                            .add("browserName", "chrome")
                            .add("goog:loggingPrefs", Json.createObjectBuilder().add("browser", "ALL"))
                            .add("goog:chromeOptions", Json.createObjectBuilder()
                                    .add("binary", chromium.toString())
                                    .add("args", args))))
                    .build();
            JsonObject created = send(http, "POST", base.resolve("session"), capabilities).asJsonObject();
            return new ChromeDriver(process, base, http, created.getString("sessionId"));
        } catch (Exception | Error e) {
            process.destroy();
            throw e;
        }
    }

    private static void requireExecutable(Path binary, String what) {
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException("The browser test needs " + what + " at " + binary + ", which is missing. Install "
                    + "Debian's packages: apt-get update && apt-get install -y chromium chromium-driver "
                    + "(or run the build without -Pbrowser).");
        }
    }

    private static void awaitReady(Process process, HttpClient http, URI base, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("chromedriver exited with " + process.exitValue() + ": " + Files.readString(log));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("status")).timeout(Duration.ofSeconds(2))
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("\"ready\":true")) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("chromedriver did not become ready in 30 s: " + Files.readString(log));
    }

    // ---- commands

    void open(URI url) throws Exception {
        command("POST", "url", Json.createObjectBuilder().add("url", url.toString()).build());
    }

    /** The first element matching the CSS selector. */
    String find(String css) throws Exception {
        JsonValue found = command("POST", "element",
                Json.createObjectBuilder().add("using", "css selector").add("value", css).build());
        return found.asJsonObject().getString(ELEMENT);
    }

    void click(String element) throws Exception {
        command("POST", "element/" + element + "/click", JsonValue.EMPTY_JSON_OBJECT);
    }

    void clear(String element) throws Exception {
        command("POST", "element/" + element + "/clear", JsonValue.EMPTY_JSON_OBJECT);
    }

    void type(String element, String text) throws Exception {
        command("POST", "element/" + element + "/value", Json.createObjectBuilder().add("text", text).build());
    }

    /** Runs a function body in the page ({@code return …;}) and gives back its JSON value. */
    JsonValue script(String body) throws Exception {
        return command("POST", "execute/sync", Json.createObjectBuilder().add("script", body)
                .add("args", JsonValue.EMPTY_JSON_ARRAY).build());
    }

    String scriptString(String body) throws Exception {
        JsonValue v = script(body);
        return v instanceof JsonString ? ((JsonString) v).getString() : String.valueOf(v);
    }

    boolean scriptTrue(String body) throws Exception {
        return script(body) == JsonValue.TRUE;
    }

    /** The viewport as a PNG file. */
    void screenshot(Path png) throws Exception {
        String base64 = ((JsonString) command("GET", "screenshot", null)).getString();
        Files.createDirectories(png.toAbsolutePath().getParent());
        Files.write(png, Base64.getDecoder().decode(base64));
    }

    /** Console messages at SEVERE (uncaught exceptions, failed loads) since the last call. */
    List<String> browserErrors() throws Exception {
        JsonArray entries = command("POST", "se/log", Json.createObjectBuilder().add("type", "browser").build()).asJsonArray();
        return entries.stream().map(JsonValue::asJsonObject)
                .filter(e -> "SEVERE".equals(e.getString("level", "")))
                .map(e -> e.getString("message", "")).toList();
    }

    private JsonValue command(String method, String path, JsonObject body) throws IOException, InterruptedException {
        return send(http, method, base.resolve("session/" + session + "/" + path), body);
    }

    private static JsonValue send(HttpClient http, String method, URI uri, JsonObject body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(COMMAND_TIMEOUT);
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json; charset=utf-8")
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonObject answer;
        try (var reader = Json.createReader(new StringReader(r.body()))) {
            answer = reader.readObject();
        }
        JsonValue value = answer.get("value");
        if (r.statusCode() != 200) {
            String error = value != null && value.getValueType() == JsonValue.ValueType.OBJECT
                    ? value.asJsonObject().getString("error", "?") + ": " + value.asJsonObject().getString("message", "")
                    : r.body();
            throw new IllegalStateException("WebDriver " + method + " " + uri.getPath() + " failed (" + r.statusCode() + "): "
                    + firstLine(error));
        }
        return Objects.requireNonNullElse(value, JsonValue.NULL);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    @Override
    public void close() throws IOException {
        try {
            send(http, "DELETE", base.resolve("session/" + session), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            // the browser processes are chromedriver's children: end them too if the session did not
            driver.descendants().forEach(ProcessHandle::destroy);
            driver.destroy();
            try {
                if (!driver.waitFor(10, TimeUnit.SECONDS)) {
                    driver.destroyForcibly();
                }
            } catch (InterruptedException e) {
                driver.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
