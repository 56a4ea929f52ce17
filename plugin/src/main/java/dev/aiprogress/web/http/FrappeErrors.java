package dev.aiprogress.web.http;

import dev.aiprogress.gateway.StartResult;

/** Maps the gateway's typed refusals onto Frappe errors with the right status. */
final class FrappeErrors {

    private FrappeErrors() {
    }

    static FrappeError forRejection(StartResult.Rejected rejected) {
        int status = rejected.reason().httpStatus();
        String excType = switch (rejected.reason()) {
            case UNKNOWN_PROVIDER, MODEL_NOT_ALLOWED, INVALID_TASK_ID -> FrappeError.VALIDATION;
            case DUPLICATE_TASK -> FrappeError.DUPLICATE;
            case TOO_MANY_GENERATIONS -> FrappeError.RATE_LIMIT;
            case SHUTTING_DOWN -> "ServiceUnavailableError";
        };
        return new FrappeError(status, excType, rejected.message());
    }
}
