package dev.aiprogress.benchmarks.load;

/** The harness's JSON field scanner: its frames and SSE lines are read without a JSON parser. */
final class JsonFields {

    private JsonFields() {
    }

    /** The value of a JSON string field, assuming no escapes (the harness's texts have none). */
    static String field(String json, String key) {
        int i = json.indexOf(key);
        if (i < 0) {
            return null;
        }
        int start = i + key.length();
        int end = json.indexOf('"', start);
        return end < 0 ? null : json.substring(start, end);
    }
}
