package dev.aiprogress.benchmarks.load;

import java.util.concurrent.Flow;

import static dev.aiprogress.benchmarks.load.JsonFields.field;

/** SSE lines of one reply: the mock's OpenAI chunks (direct) or the plugin's ai_progress events. */
final class SseLines implements Flow.Subscriber<String> {
    private final StreamReceiver rec;
    private final boolean direct;
    private Flow.Subscription sub;

    SseLines(StreamReceiver rec, boolean direct) {
        this.rec = rec;
        this.direct = direct;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        sub = subscription;
        sub.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(String line) {
        long now = System.nanoTime();
        if (!line.startsWith("data:")) {
            return;
        }
        if (direct) {
            if (line.contains("[DONE]")) {
                rec.onEnd();
                return;
            }
            String t = field(line, "\"reasoning_content\":\"");
            if (t == null) {
                t = field(line, "\"content\":\"");
            }
            if (t != null) {
                rec.onDelta(t, now);
            }
            return;
        }
        String type = field(line, "\"type\":\"");
        if ("reasoning".equals(type) || "text".equals(type)) {
            rec.onDelta(field(line, "\"text\":\""), now);
        } else if ("completion".equals(type)) {
            rec.onEnd();
        } else if ("error".equals(type)) {
            rec.fail("error event: " + line);
            rec.onEnd();
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
