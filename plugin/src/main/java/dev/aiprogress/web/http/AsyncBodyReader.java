package dev.aiprogress.web.http;

import dev.aiprogress.config.Durations;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Reads a request body with servlet non-blocking I/O (no thread waits for a slow client) under the
 * {@link RequestBody} limit. Call after {@code request.startAsync()}. The stage completes with the
 * body, or exceptionally with a {@link FrappeError} (413 as soon as the limit is passed — reading
 * stops there; 408 when the whole body has not arrived by the deadline, so a client that sends one
 * byte every few seconds cannot keep a request open) or the container's I/O error.
 */
public final class AsyncBodyReader implements ReadListener {

    private final ServletInputStream in;
    private final RequestBody body;
    private final CompletableFuture<RequestBody> result = new CompletableFuture<>();
    private final byte[] buffer = new byte[8192];

    private AsyncBodyReader(ServletInputStream in, RequestBody body) {
        this.in = in;
        this.body = body;
    }

    /** The HTTP status of a body that did not arrive in time. */
    public static final int TIMEOUT_STATUS = 408;

    /**
     * Reads the body; past {@code deadline} the stage fails with a 408 {@link FrappeError} naming
     * {@code ai-progress.http.body-timeout}. The timer runs on {@code timers} and is cancelled when
     * the body is complete.
     */
    public static CompletionStage<RequestBody> read(HttpServletRequest request, int maxBytes,
                                                    ScheduledExecutorService timers, Duration deadline) {
        CompletableFuture<RequestBody> result = read(request, maxBytes).toCompletableFuture();
        if (!result.isDone()) {
            ScheduledFuture<?> timer = timers.schedule(() -> result.completeExceptionally(new FrappeError(
                    TIMEOUT_STATUS, "RequestTimeoutError", "the request body did not arrive within "
                    + Durations.format(deadline) + " (ai-progress.http.body-timeout)")),
                    deadline.toNanos(), TimeUnit.NANOSECONDS);
            result.whenComplete((body, failure) -> timer.cancel(false));
        }
        return result;
    }

    public static CompletionStage<RequestBody> read(HttpServletRequest request, int maxBytes) {
        RequestBody body = new RequestBody(maxBytes);
        try {
            body.checkDeclaredLength(request.getContentLengthLong());
            AsyncBodyReader reader = new AsyncBodyReader(request.getInputStream(), body);
            reader.in.setReadListener(reader);
            return reader.result;
        } catch (FrappeError | IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void onDataAvailable() throws IOException {
        try {
            while (!result.isDone() && in.isReady()) {
                int n = in.read(buffer);
                if (n == -1) {
                    return;
                }
                body.append(buffer, 0, n);
            }
        } catch (FrappeError tooLarge) {
            result.completeExceptionally(tooLarge);
        }
    }

    @Override
    public void onAllDataRead() {
        result.complete(body);
    }

    @Override
    public void onError(Throwable t) {
        result.completeExceptionally(t);
    }
}
