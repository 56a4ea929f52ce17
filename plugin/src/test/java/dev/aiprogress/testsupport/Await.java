package dev.aiprogress.testsupport;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The tests' one polling wait: checks a condition every few milliseconds until it holds or the
 * timeout passes. {@link #until} fails with an {@link AssertionError}; {@link #within} only reports,
 * for a test that asserts the outcome itself.
 */
public final class Await {

    /** How long it sleeps between two checks. */
    public static final Duration POLL = Duration.ofMillis(5);

    private Await() {
    }

    /** Returns once {@code condition} holds; fails with {@code message} when it still does not after {@code timeout}. */
    public static void until(Duration timeout, BooleanSupplier condition, String message) throws InterruptedException {
        until(timeout, condition, () -> message);
    }

    /** Same, the failure message built only when it fails (it may describe the state then). */
    public static void until(Duration timeout, BooleanSupplier condition, Supplier<String> message)
            throws InterruptedException {
        if (!within(timeout, condition)) {
            throw new AssertionError(message.get());
        }
    }

    /** True once {@code condition} holds, false when it still does not after {@code timeout}. */
    public static boolean within(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        return within(timeout, POLL, condition);
    }

    /** Same, checking every {@code poll} (for a wait that paces a measurement or a stream). */
    public static boolean within(Duration timeout, Duration poll, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(poll.toMillis());
        }
        return true;
    }
}
