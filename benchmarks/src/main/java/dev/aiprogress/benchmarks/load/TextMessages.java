package dev.aiprogress.benchmarks.load;

/** Joins the fragments of a WebSocket text message, for the harness's JDK WebSocket listeners. */
final class TextMessages {

    private final StringBuilder partial = new StringBuilder();

    /** The whole message when {@code last}, otherwise null (the fragment is kept). */
    String accept(CharSequence data, boolean last) {
        if (!last || partial.length() > 0) {
            partial.append(data);
        }
        if (!last) {
            return null;
        }
        String message = partial.length() > 0 ? partial.toString() : data.toString();
        partial.setLength(0);
        return message;
    }
}
