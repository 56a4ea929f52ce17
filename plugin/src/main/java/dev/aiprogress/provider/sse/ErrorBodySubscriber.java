package dev.aiprogress.provider.sse;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.function.Consumer;
import java.util.function.BiPredicate;

/**
 * Reads the start of a non-2xx body for its error message: at most {@code limit} bytes, then the
 * subscription is cancelled, so a huge error page costs nothing. Reports the text exactly once.
 */
final class ErrorBodySubscriber implements java.net.http.HttpResponse.BodySubscriber<Void> {

    private final CompletableFuture<Void> body = new CompletableFuture<>();
    private final ByteBuffer collected;
    private final BiPredicate<Flow.Subscription, CompletableFuture<Void>> attach;
    private final Runnable activity;
    private final Consumer<String> report;
    private Flow.Subscription upstream;
    private boolean reported;

    /**
     * @param attach   registers the subscription and this body's stage for cancellation (a cancel
     *                 completes the stage); false when the stream is already closed
     * @param activity called on every received buffer (feeds the idle watchdog)
     * @param report   receives the decoded body start
     */
    ErrorBodySubscriber(int limit, BiPredicate<Flow.Subscription, CompletableFuture<Void>> attach, Runnable activity, Consumer<String> report) {
        this.collected = ByteBuffer.allocate(limit);
        this.attach = attach;
        this.activity = activity;
        this.report = report;
    }

    @Override
    public CompletionStage<Void> getBody() {
        return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        upstream = subscription;
        if (attach.test(subscription, body)) {
            subscription.request(1);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        activity.run();
        for (ByteBuffer buffer : buffers) {
            int n = Math.min(buffer.remaining(), collected.remaining());
            collected.put(buffer.slice().limit(n));
        }
        if (collected.hasRemaining()) {
            upstream.request(1);
        } else {
            upstream.cancel();
            finish();
        }
    }

    @Override
    public void onError(Throwable error) {
        finish();
    }

    @Override
    public void onComplete() {
        finish();
    }

    private void finish() {
        if (reported) {
            return;
        }
        reported = true;
        body.complete(null);
        Utf8StreamDecoder utf8 = new Utf8StreamDecoder();
        report.accept(utf8.decode(collected.flip()) + utf8.finish().toString());
    }
}
