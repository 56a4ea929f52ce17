package dev.aiprogress.web.http;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/**
 * The request body of a servlet that works synchronously (login, cancel), read without holding a
 * container thread: the first dispatch starts async, reads the body with non-blocking I/O
 * ({@link AsyncBodyReader}, under {@code limits.max-body-bytes} and {@code http.body-timeout}) and
 * returns at once; when the body is complete the request is dispatched again to the same servlet,
 * which then finds the body here and answers as usual — login and sessions run in a normal
 * container dispatch, as every container expects. A body that is too large, too slow or broken is
 * answered here with its Frappe error (413, 408, 400).
 * <pre>
 * Optional&lt;RequestBody&gt; body = BodyBeforeDispatch.body(req, resp, services);
 * if (body.isEmpty()) return; // reading; this servlet runs again with the body
 * </pre>
 */
final class BodyBeforeDispatch {

    private static final String ATTRIBUTE = BodyBeforeDispatch.class.getName();
    private static final System.Logger LOG = System.getLogger(BodyBeforeDispatch.class.getName());

    private BodyBeforeDispatch() {
    }

    /** AIP-023, at most once a minute with the count since the last line: a slow-drip attack must not flood the log either. */
    static final SlowBodyLog SLOW_BODIES = new SlowBodyLog();

    static final class SlowBodyLog {
        private final java.util.concurrent.atomic.AtomicLong count = new java.util.concurrent.atomic.AtomicLong();
        private final java.util.concurrent.atomic.AtomicLong lastLogNanos = new java.util.concurrent.atomic.AtomicLong(
                System.nanoTime() - java.util.concurrent.TimeUnit.MINUTES.toNanos(1));

        void noteSlowBody() {
            count.incrementAndGet();
            long last = lastLogNanos.get();
            long now = System.nanoTime();
            if (now - last >= java.util.concurrent.TimeUnit.MINUTES.toNanos(1) && lastLogNanos.compareAndSet(last, now)) {
                LOG.log(System.Logger.Level.WARNING, "AIP-023 " + count.getAndSet(0) + " request bodies did not arrive "
                        + "within ai-progress.http.body-timeout and were answered 408 (slow clients or a slow-drip attack)");
            }
        }
    }

    /** The body read before this dispatch, or empty when this call started reading it (return then). */
    static Optional<RequestBody> body(HttpServletRequest req, HttpServletResponse resp, HttpServices services) {
        if (req.getDispatcherType() == DispatcherType.ASYNC && req.getAttribute(ATTRIBUTE) instanceof RequestBody body) {
            req.removeAttribute(ATTRIBUTE);
            return Optional.of(body);
        }
        AsyncContext async = req.startAsync();
        // a backstop only: the body deadline answers first
        async.setTimeout(services.options().bodyTimeout().toMillis() + 30_000);
        AsyncBodyReader.read(req, services.options().limits().maxBodyBytes(), services.scheduler(),
                services.options().bodyTimeout()).whenComplete((body, failure) -> {
            if (failure == null) {
                req.setAttribute(ATTRIBUTE, body);
                dispatchQuietly(async);
                return;
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            FrappeError error = cause instanceof FrappeError frappe ? frappe
                    : FrappeError.badRequest("the request body could not be read: " + cause.getClass().getSimpleName());
            if (error.status() == AsyncBodyReader.TIMEOUT_STATUS) {
                SLOW_BODIES.noteSlowBody();
            }
            sendAndComplete(async, resp, error);
        });
        return Optional.empty();
    }

    private static void dispatchQuietly(AsyncContext async) {
        try {
            async.dispatch();
        } catch (IllegalStateException completed) {
            // the client went away or the container timed the request out meanwhile
        }
    }

    /** Writes the error and completes the async request, whatever state the client left it in. */
    static void sendAndComplete(AsyncContext async, HttpServletResponse resp, FrappeError error) {
        try {
            error.send(resp);
        } catch (IOException | IllegalStateException ignored) {
            // the client is gone; nothing left to tell it
        } finally {
            try {
                async.complete();
            } catch (IllegalStateException alreadyCompleted) {
                // completed by the container after an I/O error
            }
        }
    }
}
