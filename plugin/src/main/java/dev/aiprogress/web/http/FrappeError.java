package dev.aiprogress.web.http;

import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A failure the user can cause, as Frappe reports it: status plus
 * {@code {"exc_type":"..","exception":"<exc_type>: <message>","message":".."}}. Thrown by request
 * parsing and identity checks, written by {@link #send}. The message is shown to the user, so it
 * never holds a secret.
 */
public final class FrappeError extends RuntimeException {

    public static final String VALIDATION = "ValidationError";
    public static final String AUTHENTICATION = "AuthenticationError";
    public static final String PERMISSION = "PermissionError";
    public static final String NOT_FOUND = "DoesNotExistError";
    public static final String DUPLICATE = "DuplicateEntryError";
    public static final String TOO_LARGE = "RequestTooLargeError";
    public static final String RATE_LIMIT = "RateLimitExceededError";

    private final int status;
    private final String excType;

    public FrappeError(int status, String excType, String message) {
        super(Objects.requireNonNull(message, "message"), null, false, false);
        this.status = status;
        this.excType = Objects.requireNonNull(excType, "excType");
    }

    public static FrappeError badRequest(String message) {
        return new FrappeError(400, VALIDATION, message);
    }

    public static FrappeError unauthorized(String message) {
        return new FrappeError(401, AUTHENTICATION, message);
    }

    public static FrappeError forbidden(String message) {
        return new FrappeError(403, PERMISSION, message);
    }

    public static FrappeError tooLarge(String message) {
        return new FrappeError(413, TOO_LARGE, message);
    }

    public int status() {
        return status;
    }

    /** The JSON body, keys in Frappe's order. */
    public String body() {
        return WebJson.BUILDERS.createObjectBuilder()
                .add("exc_type", excType)
                .add("exception", excType + ": " + getMessage())
                .add("message", getMessage())
                .build().toString();
    }

    /**
     * Writes status and body; does nothing when the response is already committed. Works whether
     * the servlet used the output stream or the writer before.
     */
    public void send(HttpServletResponse response) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        byte[] bytes = body().getBytes(StandardCharsets.UTF_8);
        response.setContentLength(bytes.length);
        try {
            response.getOutputStream().write(bytes);
        } catch (IllegalStateException writerInUse) {
            response.getWriter().write(body());
        }
        response.flushBuffer();
    }
}
