package dev.aiprogress.benchmarks.load;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.concurrent.Flow;

/**
 * The direct baseline's request and reader per upstream dialect ({@code --dialect}): the same
 * bytes the plugin's dialect asks {@link PacedMock} for, read by the same HttpClient, so the
 * plugin's figures sit next to a baseline of the same wire format.
 */
final class DirectClient {

    static final String OPENAI = "openai";
    static final String ANTHROPIC = "anthropic";

    private DirectClient() {
    }

    static String checkDialect(String d) {
        if (!OPENAI.equals(d) && !ANTHROPIC.equals(d)) {
            throw new IllegalArgumentException("--dialect must be openai or anthropic, not " + d);
        }
        return d;
    }

    static HttpRequest request(String dialect, int mockPort, String spec) {
        String base = "http://127.0.0.1:" + mockPort;
        if (ANTHROPIC.equals(dialect)) {
            String body = "{\"model\":\"m\",\"max_tokens\":4096,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\""
                    + spec + "\"}]}";
            return HttpRequest.newBuilder(URI.create(base + PacedMock.ANTHROPIC_PATH))
                    .header("Content-Type", "application/json").header("Accept", "text/event-stream")
                    .header("anthropic-version", "2023-06-01")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        }
        String body = "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"" + spec + "\"}]}";
        return HttpRequest.newBuilder(URI.create(base + "/chat/completions"))
                .header("Content-Type", "application/json").header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    static Flow.Subscriber<String> lines(String dialect, StreamReceiver rec) {
        return ANTHROPIC.equals(dialect) ? new AnthropicLines(rec) : new SseLines(rec, true);
    }

    /**
     * Messages API events, as the plugin's parser reads them: only thinking_delta and text_delta
     * carry stamps; block starts carry an empty text that must not count as the first token;
     * signature_delta, pings and the rest are skipped; message_stop ends the stream.
     */
    static final class AnthropicLines implements Flow.Subscriber<String> {
        private final StreamReceiver rec;
        private String event = "";

        AnthropicLines(StreamReceiver rec) {
            this.rec = rec;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            long now = System.nanoTime();
            if (line.startsWith("event:")) {
                event = line.substring(6).trim();
                return;
            }
            if (!line.startsWith("data:")) {
                return;
            }
            switch (event) {
                case "content_block_delta": {
                    String t = null;
                    if (line.contains("\"thinking_delta\"")) {
                        t = JsonFields.field(line, "\"thinking\":\"");
                    } else if (line.contains("\"text_delta\"")) {
                        t = JsonFields.field(line, "\"text\":\"");
                    }
                    if (t != null && !t.isEmpty()) {
                        rec.onDelta(t, now);
                    }
                    break;
                }
                case "message_stop":
                    rec.onEnd();
                    break;
                case "error":
                    rec.fail("error event: " + line);
                    rec.onEnd();
                    break;
                default:
                    break;
            }
        }

        @Override
        public void onError(Throwable throwable) {
            rec.fail("read failed: " + throwable);
        }

        @Override
        public void onComplete() {
        }
    }
}
