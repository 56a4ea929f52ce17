package dev.aiprogress.web;

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
    /*
     * Both dropped once the stage is complete: the container keeps this listener for the whole
     * request — for a chat, the whole stream — and a chat's body (the conversation so far) can be
     * large. The read buffer is not a field for the same reason.
     */
    private volatile RequestBody body;
    private volatile CompletableFuture<RequestBody> result = new CompletableFuture<>();

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
                    + ConfigValues.format(deadline) + " (ai-progress.http.body-timeout)")),
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
            CompletableFuture<RequestBody> result = reader.result;
            result.whenComplete((read, failure) -> reader.release());
            reader.in.setReadListener(reader);
            return result;
        } catch (FrappeError | IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void release() {
        body = null;
        result = null;
    }

    @Override
    public void onDataAvailable() throws IOException {
        CompletableFuture<RequestBody> r = result;
        RequestBody b = body;
        if (r == null || b == null) {
            return;
        }
        byte[] buffer = new byte[8192];
        try {
            while (!r.isDone() && in.isReady()) {
                int n = in.read(buffer);
                if (n == -1) {
                    return;
                }
                b.append(buffer, 0, n);
            }
        } catch (FrappeError tooLarge) {
            r.completeExceptionally(tooLarge);
        }
    }

    @Override
    public void onAllDataRead() {
        CompletableFuture<RequestBody> r = result;
        RequestBody b = body;
        if (r != null && b != null) {
            r.complete(b);
        }
    }

    @Override
    public void onError(Throwable t) {
        CompletableFuture<RequestBody> r = result;
        if (r != null) {
            r.completeExceptionally(t);
        }
    }
}
