package dev.aiprogress.cluster;

/**
 * Told when this node gains its first live socket of a user ({@code held = true}) and when it
 * loses its last one ({@code held = false}). Calls for one user arrive in order (the hub makes them
 * under that user's lock), so an implementation must not block.
 */
@FunctionalInterface
public interface InterestListener {

    void interest(String userId, boolean held);

    /** For a single node: nobody needs to know. */
    InterestListener NONE = (userId, held) -> { };
}
